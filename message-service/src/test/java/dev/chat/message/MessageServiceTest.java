package dev.chat.message;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.annotation.DirtiesContext;

import dev.chat.test.service.ChatServiceTest;

/**
 * {@link ChatServiceTest} for message-service, with the context closed after the class. The
 * service's consumers join the group {@code message-service} on the JVM's one broker: a cached
 * context of another test class would keep consuming in that group, taking partitions (and so
 * commands and room events) away from the next class, which has a database of its own. Closed
 * after each class, the group passes from one class to the next.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ChatServiceTest
@DirtiesContext
public @interface MessageServiceTest {

}
