package dev.chat.presence;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** presence-service: who is online in each room, across devices and gateway nodes. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PresenceServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PresenceServiceApplication.class, args);
	}

}
