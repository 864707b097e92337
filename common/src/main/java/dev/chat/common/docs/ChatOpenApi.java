package dev.chat.common.docs;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import dev.chat.common.error.ErrorTypes;

/**
 * The parts of the OpenAPI document every service shares: the security schemes of the
 * Keycloak realm, the {@code Problem} schema of RFC 9457 and one reusable response per
 * {@link ErrorTypes error type}. Controllers name the responses they can give with
 * {@code @ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)}; the ones every
 * operation shares are added by {@link CommonResponses}.
 */
public final class ChatOpenApi {

	/** An access token in the {@code Authorization: Bearer} header. */
	public static final String BEARER = "bearer";

	/** The same token, obtained from the Keycloak realm directly (Swagger UI's "Authorize"). */
	public static final String KEYCLOAK = "keycloak";

	public static final String PROBLEM_JSON = "application/problem+json";

	public static final String BAD_REQUEST = "BadRequest";

	public static final String UNAUTHORIZED = "Unauthorized";

	public static final String FORBIDDEN = "Forbidden";

	public static final String NOT_FOUND = "NotFound";

	public static final String CONFLICT = "Conflict";

	public static final String TOO_MANY_REQUESTS = "TooManyRequests";

	public static final String UNAVAILABLE = "Unavailable";

	public static final String INTERNAL_ERROR = "InternalError";

	static final String PROBLEM = "Problem";

	/** The document of {@code service}, before springdoc adds the operations. */
	public static OpenAPI document(String service, URI issuer) {
		Components components = new Components().addSecuritySchemes(BEARER, bearer())
			.addSecuritySchemes(KEYCLOAK, keycloak(issuer))
			.addSchemas(PROBLEM, problemSchema());
		responses().forEach(components::addResponses);
		return new OpenAPI().info(new Info().title(service)
			.version("v1")
			.description("REST API of " + service + ", served under /api through the gateway. "
					+ "Errors are RFC 9457 problem documents: branch on `type`."))
			.components(components)
			.addSecurityItem(new SecurityRequirement().addList(BEARER))
			.addSecurityItem(new SecurityRequirement().addList(KEYCLOAK));
	}

	private static SecurityScheme bearer() {
		return new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("JWT")
			.description("A Keycloak access token of realm `chat` with audience `chat-api` (RS256), "
					+ "from POST /api/auth/token.");
	}

	private static SecurityScheme keycloak(URI issuer) {
		String endpoints = issuer + "/protocol/openid-connect";
		Scopes scopes = new Scopes().addString("openid", "OpenID Connect sign-in");
		return new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
			.description("Keycloak realm `chat`: public client `chat-web` with authorization code and PKCE.")
			.flows(new OAuthFlows().authorizationCode(new OAuthFlow().authorizationUrl(endpoints + "/auth")
				.tokenUrl(endpoints + "/token")
				.refreshUrl(endpoints + "/token")
				.scopes(scopes)));
	}

	private static Schema<?> problemSchema() {
		Schema<?> fieldError = new ObjectSchema().addProperty("field", new StringSchema().example("name"))
			.addProperty("message", new StringSchema().example("size must be between 1 and 80"));
		return new ObjectSchema().description("An RFC 9457 problem document.")
			.addProperty("type",
					new StringSchema().format("uri")
						.description("Names the kind of error; clients branch on it, never on title or detail.")
						._enum(Stream
							.of(ErrorTypes.VALIDATION, ErrorTypes.UNAUTHORIZED, ErrorTypes.FORBIDDEN, ErrorTypes.NOT_FOUND,
									ErrorTypes.METHOD_NOT_ALLOWED, ErrorTypes.NOT_ACCEPTABLE, ErrorTypes.CONFLICT,
									ErrorTypes.TOO_LARGE, ErrorTypes.UNSUPPORTED_MEDIA_TYPE, ErrorTypes.RATE_LIMITED,
									ErrorTypes.UNAVAILABLE, ErrorTypes.INTERNAL)
							.map(URI::toString)
							.toList()))
			.addProperty("title", new StringSchema().description("For people; fixed per type."))
			.addProperty("status", new IntegerSchema().description("The HTTP status."))
			.addProperty("detail", new StringSchema().description("For people: this occurrence."))
			.addProperty("instance", new StringSchema().format("uri-reference").description("The request path."))
			.addProperty("traceId",
					new StringSchema().description("Finds the request in the logs: its W3C trace id, or its request id."))
			.addProperty("errors",
					new ArraySchema().items(fieldError)
						.description("For `urn:chat:problem:validation`: each invalid field."))
			.addProperty("retryAfterSeconds",
					new IntegerSchema().description("For `urn:chat:problem:rate-limited`: as `Retry-After`."))
			.required(List.of("type", "title", "status"));
	}

	private static Map<String, ApiResponse> responses() {
		Map<String, ApiResponse> responses = new LinkedHashMap<>();
		responses.put(BAD_REQUEST,
				problem("The request is malformed or a field is invalid.", ErrorTypes.VALIDATION, 400,
						"Invalid request", "One or more fields are invalid.",
						List.of(Map.of("field", "name", "message", "size must be between 1 and 80"))));
		responses.put(UNAUTHORIZED,
				problem("No valid bearer token: obtain or refresh one, then retry.", ErrorTypes.UNAUTHORIZED, 401,
						"Unauthorized", "The access token is invalid or expired.", null)
					.addHeaderObject("WWW-Authenticate", new Header().schema(new StringSchema()
						.example("Bearer realm=\"chat\", error=\"invalid_token\""))));
		responses.put(FORBIDDEN, problem("The token is valid but does not allow this action.",
				ErrorTypes.FORBIDDEN, 403, "Forbidden", "Only the room's owner may invite.", null));
		responses.put(NOT_FOUND, problem("No such resource, or none the caller may know of.", ErrorTypes.NOT_FOUND,
				404, "Not found", "No such room.", null));
		responses.put(CONFLICT, problem("The request clashes with the current state.", ErrorTypes.CONFLICT, 409,
				"Conflict", "A room with this name exists.", null));
		responses.put(TOO_MANY_REQUESTS,
				problem("Too many attempts: wait for Retry-After seconds.", ErrorTypes.RATE_LIMITED, 429,
						"Too many requests", "Too many failed logins; try again later.", null)
					.addHeaderObject("Retry-After", new Header().schema(new IntegerSchema().example(30))));
		responses.put(UNAVAILABLE,
				problem("A dependency did not answer; nothing was changed and a retry is safe.",
						ErrorTypes.UNAVAILABLE, 503, "Service unavailable", "Kafka did not acknowledge in time.",
						null)
					.addHeaderObject("Retry-After", new Header().schema(new IntegerSchema().example(1))));
		responses.put(INTERNAL_ERROR, problem("Anything unexpected; the answer carries no internals.",
				ErrorTypes.INTERNAL, 500, "Internal error", "The request failed unexpectedly.", null));
		return responses;
	}

	private static ApiResponse problem(String description, URI type, int status, String title, String detail,
			List<Map<String, String>> errors) {
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("type", type.toString());
		example.put("title", title);
		example.put("status", status);
		example.put("detail", detail);
		if (errors != null) {
			example.put("errors", errors);
		}
		MediaType json = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
			.addExamples(type.toString().substring("urn:chat:problem:".length()), new Example().value(example));
		return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON, json));
	}

	private ChatOpenApi() {
	}

}
