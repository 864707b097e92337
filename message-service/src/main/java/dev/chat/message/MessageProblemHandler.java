package dev.chat.message;

import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.chat.common.error.ChatProblemHandler;

/**
 * The service's problem handler. Declared here, not left to auto-configuration: Spring Boot's
 * own problem-details handler would otherwise win the {@code ResponseEntityExceptionHandler}
 * slot and answer field errors without their {@code type} and {@code errors}.
 */
@RestControllerAdvice
class MessageProblemHandler extends ChatProblemHandler {

}
