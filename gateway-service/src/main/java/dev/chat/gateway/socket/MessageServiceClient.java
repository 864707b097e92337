package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.chat.gateway.GatewayProperties;

/**
 * Reads a room's stored sequence from message-service on the user's behalf (with the user's own
 * token, so message-service's membership check is the one that decides).
 */
@Component
class MessageServiceClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/**
	 * A room or a membership reaches message-service through {@code chat.rooms} a moment after
	 * room-service granted it, so a client that joins (or creates) a room and subscribes at once
	 * can be asked about before it arrives. A refusal is asked again for about 1.5 s before it
	 * stands; only refusals wait, and they are rare.
	 */
	private static final RetryBackoffSpec UNTIL_PROJECTED = Retry.backoff(4, Duration.ofMillis(100))
		.maxBackoff(Duration.ofMillis(800))
		.filter(RoomAccessDenied.class::isInstance)
		.onRetryExhaustedThrow((spec, signal) -> signal.failure());

	/** One stored sequence entry, shaped like a {@code message} frame. */
	record StoredEvent(String roomId, String id, long seq, String senderId, String body, Instant sentAt,
			String clientMsgId, Instant editedAt, Boolean deleted) {

		ServerFrame.Message frame() {
			return new ServerFrame.Message(roomId, id, seq, senderId, body, sentAt, clientMsgId, editedAt, deleted);
		}

	}

	record EventsPage(List<StoredEvent> events, long lastSeq, boolean hasMore) {
	}

	record MessagesPage(long lastSeq) {
	}

	/** The room refused the user (not a member) or does not exist for them. */
	static final class RoomAccessDenied extends RuntimeException {

		private final String code;

		RoomAccessDenied(String code) {
			super(code, null, false, false);
			this.code = code;
		}

		String code() {
			return code;
		}

	}

	private final WebClient client;

	private final Map<String, Mono<Long>> inFlight = new ConcurrentHashMap<>();

	MessageServiceClient(WebClient.Builder builder, GatewayProperties properties) {
		this.client = builder.baseUrl(properties.services().messages().toString()).build();
	}

	/** Every sequence entry after {@code afterSeq}, one page. */
	Mono<EventsPage> events(String roomId, long afterSeq, String token) {
		return client.get()
			.uri(uri -> uri.path("/api/rooms/{roomId}/events")
				.queryParam("afterSeq", afterSeq)
				.queryParam("limit", 500)
				.build(roomId))
			.headers(h -> h.setBearerAuth(token))
			.retrieve()
			.bodyToMono(EventsPage.class)
			.timeout(TIMEOUT)
			.onErrorMap(WebClientResponseException.class, MessageServiceClient::denied)
			.retryWhen(UNTIL_PROJECTED);
	}

	/**
	 * The room's last seq as {@link #lastSeq(String, String)}, with the questions about the same
	 * user and room that are in flight at the same time sharing one request: a user's devices
	 * reconnecting at once, or a storm of clients after a node failure, would otherwise send the
	 * same question thousands of times.
	 */
	Mono<Long> lastSeq(String roomId, String userId, String token) {
		String key = roomId + '\n' + userId;
		return Mono.defer(() -> inFlight.computeIfAbsent(key,
				k -> lastSeq(roomId, token).doFinally(signal -> inFlight.remove(k)).cache()));
	}

	/** The room's last seq; fails with {@link RoomAccessDenied} when the user may not read it. */
	Mono<Long> lastSeq(String roomId, String token) {
		return client.get()
			.uri(uri -> uri.path("/api/rooms/{roomId}/messages").queryParam("limit", 1).build(roomId))
			.headers(h -> h.setBearerAuth(token))
			.retrieve()
			.bodyToMono(MessagesPage.class)
			.map(MessagesPage::lastSeq)
			.timeout(TIMEOUT)
			.onErrorMap(WebClientResponseException.class, MessageServiceClient::denied)
			.retryWhen(UNTIL_PROJECTED);
	}

	private static Throwable denied(WebClientResponseException ex) {
		if (ex.getStatusCode().isSameCodeAs(HttpStatus.FORBIDDEN)) {
			return new RoomAccessDenied("forbidden");
		}
		if (ex.getStatusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
			return new RoomAccessDenied("not_found");
		}
		return ex;
	}

}
