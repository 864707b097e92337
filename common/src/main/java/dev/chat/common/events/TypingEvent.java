package dev.chat.common.events;

import java.time.Instant;

/**
 * On {@code chat.typing}, keyed by {@code roomId}: a user is typing. Fire and forget: never
 * stored, throttled per user and room by the gateway that received it, delivered by every
 * gateway node to the room's other subscribers.
 */
public record TypingEvent(String roomId, String userId, Instant occurredAt) {
}
