package dev.chat.room.outbox;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How events leave the outbox ({@code chat.rooms.outbox.*}).
 *
 * @param pollInterval how often the relay looks for work besides being woken by a new entry
 * @param batchSize entries read per pass, oldest first
 * @param requestTimeout the longest a request may take to write its change; a write still running
 * then is abandoned
 * @param grace how long an unconfirmed entry is left to its request before the relay judges it by
 * its evidence; must exceed {@code requestTimeout}, or the relay could discard the entry of a
 * change that is still being written
 * @param initialBackoff the wait after Kafka first fails, doubled on each further failure
 * @param maxBackoff the longest wait between attempts while Kafka is down
 */
@Validated
@ConfigurationProperties("chat.rooms.outbox")
public record OutboxProperties(@DefaultValue("1s") @NotNull Duration pollInterval,
		@DefaultValue("100") @Min(1) @Max(1000) int batchSize, @DefaultValue("10s") @NotNull Duration requestTimeout,
		@DefaultValue("60s") @NotNull Duration grace, @DefaultValue("500ms") @NotNull Duration initialBackoff,
		@DefaultValue("10s") @NotNull Duration maxBackoff) {

	@AssertTrue(message = "grace must be longer than request-timeout, or the relay could discard the event of a change still being written")
	public boolean isGraceLongerThanRequests() {
		return grace == null || requestTimeout == null || grace.compareTo(requestTimeout) > 0;
	}

}
