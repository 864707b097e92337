package dev.chat.room;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** room-service: rooms, memberships and invitations, {@code chat.rooms} events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RoomServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(RoomServiceApplication.class, args);
	}

}
