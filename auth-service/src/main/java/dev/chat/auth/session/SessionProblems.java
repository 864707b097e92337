package dev.chat.auth.session;

import java.time.Duration;

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
	 * Wrong password and unknown user alike, word for word, so the answer does not tell whether
	 * a username exists.
	 */
	static ErrorResponseException invalidCredentials() {
		return unauthorized("Invalid credentials", "The username or password is wrong.");
	}

	/** The refresh token is malformed, expired, revoked, or not this client's. */
	static ErrorResponseException invalidRefreshToken() {
		return unauthorized("Invalid refresh token", "The refresh token is invalid, expired or revoked.");
	}

	/** Brute-force protection has locked the account for a while. */
	static ErrorResponseException locked(Duration retryAfter) {
		ErrorResponseException locked = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS,
				ChatProblemHandler.problem(HttpStatus.TOO_MANY_REQUESTS, ErrorTypes.RATE_LIMITED, "Account locked",
						"Too many failed logins; try again after " + retryAfter.toSeconds() + " seconds."),
				null);
		locked.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter.toSeconds()));
		return locked;
	}

	private static ErrorResponseException unauthorized(String title, String detail) {
		ErrorResponseException unauthorized = new ErrorResponseException(HttpStatus.UNAUTHORIZED,
				ChatProblemHandler.problem(HttpStatus.UNAUTHORIZED, ErrorTypes.UNAUTHORIZED, title, detail), null);
		unauthorized.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"chat\"");
		return unauthorized;
	}

}
