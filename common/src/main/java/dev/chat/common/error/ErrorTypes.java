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

	/** Too many attempts: wait for {@code Retry-After} seconds. */
	public static final URI RATE_LIMITED = URI.create("urn:chat:problem:rate-limited");

	/** A dependency is down; the request changed nothing and may be retried. */
	public static final URI UNAVAILABLE = URI.create("urn:chat:problem:unavailable");

	/** Anything unexpected; the response carries no internals. */
	public static final URI INTERNAL = URI.create("urn:chat:problem:internal");

	private ErrorTypes() {
	}

}
