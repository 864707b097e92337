package dev.chat.auth.registration;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How registrations are settled ({@code chat.auth.registration.*}).
 *
 * @param pollInterval how often the relay looks for events to publish and registrations to settle
 * @param batchSize pending registrations read per pass, oldest first
 * @param grace how long a registration is left to its request before the relay settles it from
 * what Keycloak and the profile store hold; longer than any request may take (two Keycloak calls
 * and two store writes, each bounded by its own timeout), or the relay could undo a registration
 * that is still going to succeed
 */
@Validated
@ConfigurationProperties("chat.auth.registration")
record RegistrationProperties(@DefaultValue("2s") @NotNull Duration pollInterval,
		@DefaultValue("100") @Min(1) @Max(1000) int batchSize, @DefaultValue("2m") @NotNull Duration grace) {
}
