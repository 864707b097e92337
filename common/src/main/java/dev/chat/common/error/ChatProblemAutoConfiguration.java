package dev.chat.common.error;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Gives a service the plain {@link ChatProblemHandler} until it declares its own advice
 * (extending that base) for its own exceptions.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ChatProblemAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
	DefaultChatProblemHandler chatProblemHandler() {
		return new DefaultChatProblemHandler();
	}

	@RestControllerAdvice
	static class DefaultChatProblemHandler extends ChatProblemHandler {

	}

}
