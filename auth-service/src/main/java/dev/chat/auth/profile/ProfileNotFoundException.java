package dev.chat.auth.profile;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/** No profile has this id. */
class ProfileNotFoundException extends ErrorResponseException {

	ProfileNotFoundException() {
		super(HttpStatus.NOT_FOUND, ChatProblemHandler.problem(HttpStatus.NOT_FOUND, ErrorTypes.NOT_FOUND,
				"User not found", "No user has this id."), null);
	}

}
