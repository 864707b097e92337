package dev.chat.auth.session;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/** The refusals of the token facade, as problem documents. */
final class SessionProblems {

	private SessionProblems() {
	}

	/**
	 * Wrong password, unknown user and locked account alike, word for word, so the answer does
	 * not tell whether a username exists.
	 */
	static ErrorResponseException invalidCredentials() {
		return unauthorized("Invalid credentials", "The username or password is wrong.");
	}

	/** The refresh token is malformed, expired, revoked, or not this client's. */
	static ErrorResponseException invalidRefreshToken() {
		return unauthorized("Invalid refresh token", "The refresh token is invalid, expired or revoked.");
	}

	private static ErrorResponseException unauthorized(String title, String detail) {
		ErrorResponseException unauthorized = new ErrorResponseException(HttpStatus.UNAUTHORIZED,
				ChatProblemHandler.problem(HttpStatus.UNAUTHORIZED, ErrorTypes.UNAUTHORIZED, title, detail), null);
		unauthorized.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"chat\"");
		return unauthorized;
	}

}
