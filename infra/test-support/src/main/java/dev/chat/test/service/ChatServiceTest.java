package dev.chat.test.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

import dev.chat.test.kafka.TestKafka;
import dev.chat.test.mongo.TestMongo;
import dev.chat.test.tokens.TokenMinter;

/**
 * A whole service on a random port against real infrastructure: the JVM's {@link TestMongo}
 * store with a database of this test class's own, the JVM's {@link TestKafka} with the
 * platform's topics, and the shared {@link TokenMinter} as the token issuer. The test gets a
 * {@code WebTestClient} bound to the server, and can inject the {@code TokenMinter} (or call
 * {@link TokenMinter#shared()}) to mint tokens the service accepts.
 *
 * <p>
 * Each test class gets a context of its own (its database is part of the context's identity),
 * so no test class sees another's data. Extra properties go in {@code @TestPropertySource} or
 * {@code @DynamicPropertySource}; both override the harness's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.show-components=always",
				// The in-JVM broker logs through the service's logging: keep only its warnings.
				"logging.level.org.apache.kafka=warn", "logging.level.kafka=warn",
				"logging.level.state.change.logger=warn" })
// A response timeout, not a latency check (those are in ./chat bench): with the 5 s default one
// history read right after an edit stalled past it once in a full CI run on the shared 2-core
// machine, failing a test whose subject is paging.
@AutoConfigureWebTestClient(timeout = "PT20S")
public @interface ChatServiceTest {

}
