package dev.chat.gateway;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound may let pass on event-loop threads in this module's tests.
 * {@code UUID.randomUUID} reads {@code /dev/urandom}, which on Linux never blocks once the
 * system has booted; BlockHound cannot tell that read from a blocking one.
 */
public class ChatBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
	}

}
