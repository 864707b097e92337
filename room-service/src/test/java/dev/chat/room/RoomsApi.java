package dev.chat.room;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.tokens.TokenMinter;

/**
 * The room API as the tests call it: each call with a fresh token of the named user, minted by
 * the test issuer ({@code carol} carries the realm role {@code admin}, as in the demo realm).
 */
public final class RoomsApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WebTestClient client;

	private final TokenMinter minter;

	public RoomsApi(WebTestClient client, TokenMinter minter) {
		// Patient: the build machine is shared, and a slow answer is not what these tests check.
		this.client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		this.minter = minter;
	}

	/** The user id of a test user: the {@code sub} of the tokens minted for it. */
	public static String idOf(String user) {
		return TokenMinter.subjectOf(user);
	}

	public String token(String user) {
		return "carol".equals(user) ? minter.token(user, "user", "admin") : minter.token(user, "user");
	}

	public WebTestClient.ResponseSpec create(String user, String name, String visibility) {
		return post(user, "/api/rooms", Map.of("name", name, "visibility", visibility));
	}

	/** Creates a room and returns its id; fails unless the answer is 201. */
	public String createdRoom(String user, String name, String visibility) {
		return body(create(user, name, visibility).expectStatus().isCreated()).get("id").asString();
	}

	public WebTestClient.ResponseSpec post(String user, String path, Object body) {
		return client.post()
			.uri(path)
			.headers(h -> h.setBearerAuth(token(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	public WebTestClient.ResponseSpec postRaw(String user, String path, String json) {
		return client.post()
			.uri(path)
			.headers(h -> h.setBearerAuth(token(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

	public WebTestClient.ResponseSpec postEmpty(String user, String path) {
		return client.post().uri(path).headers(h -> h.setBearerAuth(token(user))).exchange();
	}

	public WebTestClient.ResponseSpec delete(String user, String path) {
		return client.delete().uri(path).headers(h -> h.setBearerAuth(token(user))).exchange();
	}

	/**
	 * A GET of {@code pathAndQuery}, whose query values are percent-encoded as in a URL (so a
	 * test can send {@code %07}); each value is decoded and sent encoded again, exactly.
	 */
	public WebTestClient.ResponseSpec get(String user, String pathAndQuery) {
		int mark = pathAndQuery.indexOf('?');
		String path = mark < 0 ? pathAndQuery : pathAndQuery.substring(0, mark);
		List<String[]> params = new ArrayList<>();
		if (mark >= 0) {
			for (String pair : pathAndQuery.substring(mark + 1).split("&")) {
				String[] parts = pair.split("=", 2);
				params.add(new String[] { parts[0],
						URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8) });
			}
		}
		return client.get().uri(builder -> {
			builder.path(path);
			Map<String, Object> values = new HashMap<>();
			for (int i = 0; i < params.size(); i++) {
				builder.queryParam(params.get(i)[0], "{v" + i + "}");
				values.put("v" + i, params.get(i)[1]);
			}
			return builder.build(values);
		}).headers(h -> h.setBearerAuth(token(user))).exchange();
	}

	public WebTestClient.ResponseSpec join(String user, String roomId) {
		return postEmpty(user, "/api/rooms/" + roomId + "/join");
	}

	public WebTestClient.ResponseSpec leave(String user, String roomId) {
		return postEmpty(user, "/api/rooms/" + roomId + "/leave");
	}

	public WebTestClient.ResponseSpec invite(String user, String roomId, String invitee) {
		return post(user, "/api/rooms/" + roomId + "/invites", Map.of("userId", idOf(invitee)));
	}

	public WebTestClient.ResponseSpec room(String user, String roomId) {
		return get(user, "/api/rooms/" + roomId);
	}

	/** The JSON body of a response whose status the caller already checked. */
	public static JsonNode body(WebTestClient.ResponseSpec response) {
		byte[] bytes = response.expectBody().returnResult().getResponseBody();
		return JSON.readTree(bytes == null ? new byte[0] : bytes);
	}

}
