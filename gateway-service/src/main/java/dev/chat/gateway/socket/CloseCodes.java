package dev.chat.gateway.socket;

import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Why the server closes a socket, and what the client should do (ranges as centrifuge
 * documents them: 4000-4499 mean stop and fix something first, standard codes below).
 */
public enum CloseCodes {

	/** The peer stopped answering pings: reconnect and recover with {@code sinceSeq}. */
	GOING_AWAY(1001, "peer silent"),

	/**
	 * This node is shutting down (a deploy, a scale-in): reconnect at once (to any node) and
	 * recover with {@code sinceSeq}.
	 */
	SERVICE_RESTART(1012, "node shutting down"),

	/** Too many protocol errors in a row: fix the client; reconnecting as is will fail again. */
	POLICY_VIOLATION(1008, "too many protocol errors"),

	/** The client could not keep up with its room traffic: reconnect and recover with {@code sinceSeq}. */
	TRY_AGAIN_LATER(1013, "client too slow"),

	/** The access token expired and no fresh one came: obtain a new token, then reconnect. */
	TOKEN_EXPIRED(4401, "token expired"),

	/** The session was logged out: log in again before reconnecting. */
	LOGGED_OUT(4403, "logged out");

	private final CloseStatus status;

	CloseCodes(int code, String reason) {
		this.status = new CloseStatus(code, reason);
	}

	public CloseStatus status() {
		return status;
	}

}
