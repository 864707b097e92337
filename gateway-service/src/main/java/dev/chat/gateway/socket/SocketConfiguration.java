package dev.chat.gateway.socket;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/** Maps {@code /ws} ahead of the gateway's route matching. */
@Configuration(proxyBeanMethods = false)
class SocketConfiguration {

	@Bean
	HandlerMapping socketHandlerMapping(SocketHandler handler) {
		return new SimpleUrlHandlerMapping(Map.of("/ws", handler), Ordered.HIGHEST_PRECEDENCE);
	}

}
