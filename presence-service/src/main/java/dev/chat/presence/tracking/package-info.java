/**
 * Who is online where: each user's connections and reported rooms ({@code UserPresence}, one
 * document per user), the rooms' online lists ({@code RoomPresenceStore}), and what changes them
 * ({@code PresenceTracker}): signals from gateways, drops of dead or restarted gateway
 * incarnations ({@code NodeFailureDetector}), and the end of grace periods ({@code GraceTimer}).
 * Publishes {@code chat.presence}. Depends on {@code node}.
 */
package dev.chat.presence.tracking;
