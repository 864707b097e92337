package dev.chat.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code chat-defaults.yml} (structured logging, graceful shutdown, health groups, Kafka
 * producer and consumer guarantees) as the lowest-precedence property source of every service:
 * a service's own {@code application.yml}, the command line and the environment all override
 * it. (A {@code spring.config.import} would do the opposite: imported files win.)
 */
public class ChatDefaults implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			new YamlPropertySourceLoader().load("chat-defaults", new ClassPathResource("chat-defaults.yml"))
				.forEach(environment.getPropertySources()::addLast);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
