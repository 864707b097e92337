package dev.chat.common.error;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Gives a service the plain {@link ChatProblemHandler} until it declares its own advice
 * (extending that base) for its own exceptions, and the {@link ProblemExceptionHandler} for every
 * error no advice answers.
 */
// Before WebFlux's: its problem-details advice steps aside only for an advice that already exists.
@AutoConfiguration(before = WebFluxAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ChatProblemAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
	DefaultChatProblemHandler chatProblemHandler() {
		return new DefaultChatProblemHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	ProblemExceptionHandler problemExceptionHandler() {
		return new ProblemExceptionHandler();
	}

	@RestControllerAdvice
	static class DefaultChatProblemHandler extends ChatProblemHandler {

	}

}
