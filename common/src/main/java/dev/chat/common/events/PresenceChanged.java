package dev.chat.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * On {@code chat.presence}, keyed by {@code roomId}: a user came online or went offline in a
 * room. Published by presence-service only on a real change (never twice the same status in a
 * row for a user and room); gateways turn it into a {@code presence} frame.
 *
 * @param status {@code online} or {@code offline}
 * @param since when the user entered this status
 */
public record PresenceChanged(UUID eventId, int version, String roomId, String userId, String username,
		String status, Instant since) {

	public static final String ONLINE = "online";

	public static final String OFFLINE = "offline";

}
