/**
 * Gateway nodes: which incarnation of each node is current ({@code NodeRegistry}), when each was
 * last heard from ({@code NodeLiveness}, fed by the {@code HeartbeatWatcher}), and which users
 * each incarnation holds ({@code NodeStore}). Knows nothing of rooms or of who is online.
 */
package dev.chat.presence.node;
