package dev.chat.presence.tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.chat.common.events.PresenceChanged;
import dev.chat.common.kafka.Topics;

/**
 * Publishes {@link PresenceChanged} on {@code chat.presence}, keyed by room, and returns only once
 * Kafka has acknowledged every change (acks=all, idempotent producer): the users' documents are
 * written after that, so a change is never lost. A crash in between publishes the change again
 * on replay, with the same {@code eventId} (derived from the change), which consumers can use to
 * drop the repeat.
 */
@Component
class PresencePublisher {

	private static final long TIMEOUT_SECONDS = 15;

	private final JsonMapper json = JsonMapper.builder().build();

	private final KafkaTemplate<String, String> kafka;

	PresencePublisher(KafkaTemplate<String, String> presenceTemplate) {
		this.kafka = presenceTemplate;
	}

	/** A change of one user, as it is published. */
	record UserChange(String userId, String username, RoomChange change) {

		String status() {
			return switch (change) {
				case RoomChange.CameOnline online -> PresenceChanged.ONLINE;
				case RoomChange.WentOffline offline -> PresenceChanged.OFFLINE;
			};
		}

	}

	void publish(List<UserChange> changes) {
		if (changes.isEmpty()) {
			return;
		}
		List<CompletableFuture<?>> sent = new ArrayList<>();
		for (UserChange change : changes) {
			String roomId = change.change().roomId();
			PresenceChanged event = new PresenceChanged(eventId(change), 1, roomId, change.userId(),
					change.username(), change.status(), change.change().since());
			sent.add(kafka.send(Topics.PRESENCE, roomId, json.writeValueAsString(event)));
		}
		try {
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while publishing presence changes", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("presence changes not acknowledged by Kafka", ex);
		}
	}

	private static UUID eventId(UserChange change) {
		String identity = change.change().roomId() + "\n" + change.userId() + "\n" + change.status() + "\n"
				+ change.change().since().toEpochMilli();
		return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
	}

}
