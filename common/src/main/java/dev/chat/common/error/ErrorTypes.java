package dev.chat.common.error;

import java.net.URI;

/**
 * The {@code type} URIs of the RFC 9457 problem documents the platform answers with. Clients
 * branch on these, never on {@code title} or {@code detail}, which are for people.
 */
public final class ErrorTypes {

	/** The request is malformed or a field is invalid; {@code errors} names each field. */
	public static final URI VALIDATION = URI.create("urn:chat:problem:validation");

	/** No valid bearer token: obtain or refresh one, then retry. */
	public static final URI UNAUTHORIZED = URI.create("urn:chat:problem:unauthorized");

	/** The token is valid but does not allow this action. */
	public static final URI FORBIDDEN = URI.create("urn:chat:problem:forbidden");

	/** The resource does not exist, or the caller may not know that it does. */
	public static final URI NOT_FOUND = URI.create("urn:chat:problem:not-found");

	/** The request clashes with the current state (a taken name, say). */
	public static final URI CONFLICT = URI.create("urn:chat:problem:conflict");

	/** The path exists, but not with this method; {@code Allow} lists the ones it has. */
	public static final URI METHOD_NOT_ALLOWED = URI.create("urn:chat:problem:method-not-allowed");

	/** None of the media types in {@code Accept} can be produced. */
	public static final URI NOT_ACCEPTABLE = URI.create("urn:chat:problem:not-acceptable");

	/** The body's {@code Content-Type} is not one this endpoint reads. */
	public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("urn:chat:problem:unsupported-media-type");

	/** The body, a header or a frame is larger than allowed. */
	public static final URI TOO_LARGE = URI.create("urn:chat:problem:too-large");

	/** Too many attempts: wait for {@code Retry-After} seconds. */
	public static final URI RATE_LIMITED = URI.create("urn:chat:problem:rate-limited");

	/** A dependency is down; the request changed nothing and may be retried. */
	public static final URI UNAVAILABLE = URI.create("urn:chat:problem:unavailable");

	/** Anything unexpected; the response carries no internals. */
	public static final URI INTERNAL = URI.create("urn:chat:problem:internal");

	/**
	 * The type of a problem raised with only a status (by the framework, say): the platform's
	 * type for that status, {@link #INTERNAL} for any other 5xx and {@link #VALIDATION} for any
	 * other 4xx.
	 */
	public static URI forStatus(int status) {
		return switch (status) {
			case 400 -> VALIDATION;
			case 401 -> UNAUTHORIZED;
			case 403 -> FORBIDDEN;
			case 404 -> NOT_FOUND;
			case 405 -> METHOD_NOT_ALLOWED;
			case 406 -> NOT_ACCEPTABLE;
			case 409 -> CONFLICT;
			case 413, 431 -> TOO_LARGE;
			case 415 -> UNSUPPORTED_MEDIA_TYPE;
			case 429 -> RATE_LIMITED;
			case 502, 503, 504 -> UNAVAILABLE;
			default -> status >= 500 ? INTERNAL : VALIDATION;
		};
	}

	private ErrorTypes() {
	}

}
