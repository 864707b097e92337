/**
 * The WebSocket endpoint {@code /ws}, protocol v1: one feature, from the handshake to the close.
 *
 * <ul>
 * <li>{@link dev.chat.gateway.socket.SocketHandler} serves a connection: decodes frames
 * ({@link dev.chat.gateway.socket.FrameCodec}, {@link dev.chat.gateway.socket.ClientFrame},
 * {@link dev.chat.gateway.socket.ServerFrame}) and handles them in order.</li>
 * <li>{@link dev.chat.gateway.socket.ClientSession} is one connection's state and bounded
 * outbound queue; {@link dev.chat.gateway.socket.SessionRegistry} finds a user's sessions.</li>
 * <li>{@link dev.chat.gateway.socket.Subscriptions} and
 * {@link dev.chat.gateway.socket.RoomSubscription} hold who receives which room, and make
 * recovery gap-free.</li>
 * <li>{@link dev.chat.gateway.socket.FanOutListener} delivers the fan-out topics;
 * {@link dev.chat.gateway.socket.InboundPublisher} writes sends and typing;
 * {@link dev.chat.gateway.socket.PresenceSignals} tells presence-service about connections;
 * {@link dev.chat.gateway.socket.LogoutListener} closes logged-out sessions.</li>
 * <li>{@link dev.chat.gateway.socket.CloseCodes} documents every close the server makes.</li>
 * </ul>
 */
package dev.chat.gateway.socket;
