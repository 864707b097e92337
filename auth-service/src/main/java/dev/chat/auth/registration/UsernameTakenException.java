package dev.chat.auth.registration;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/** Keycloak already has a user with this username, or with this email address. */
class UsernameTakenException extends ErrorResponseException {

	UsernameTakenException(String field) {
		super(HttpStatus.CONFLICT, problem(field), null);
	}

	private static ProblemDetail problem(String field) {
		ProblemDetail problem = ChatProblemHandler.problem(HttpStatus.CONFLICT, ErrorTypes.CONFLICT,
				"Already registered", "email".equals(field) ? "This email address is already registered."
						: "This username is taken.");
		problem.setProperty("errors", List.of(Map.of("field", field, "message", "is already registered")));
		return problem;
	}

}
