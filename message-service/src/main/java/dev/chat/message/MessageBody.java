package dev.chat.message;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A message body as {@link MessageRules#bodyProblem} allows it: not empty after trimming, at
 * most 4,000 characters, no control characters but newline and tab. The violation says which
 * rule was broken.
 */
@Documented
@Constraint(validatedBy = MessageBody.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface MessageBody {

	String message() default "is not a valid message body";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks a body against {@link MessageRules}. */
	class Validator implements ConstraintValidator<MessageBody, String> {

		@Override
		public boolean isValid(String body, ConstraintValidatorContext context) {
			String problem = MessageRules.bodyProblem(body);
			if (problem == null) {
				return true;
			}
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
			return false;
		}

	}

}
