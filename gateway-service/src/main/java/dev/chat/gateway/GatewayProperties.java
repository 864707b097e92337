package dev.chat.gateway;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * This gateway node ({@code chat.gateway.*}).
 *
 * @param nodeId the node's name, unique among gateway nodes; presence is tracked per node
 * @param services where the REST requests under {@code /api/**} are routed
 */
@Validated
@ConfigurationProperties("chat.gateway")
public record GatewayProperties(@DefaultValue("gateway-1") @NotBlank String nodeId,
		@DefaultValue @Valid Services services) {

	/**
	 * The base URIs of the services behind the gateway.
	 */
	public record Services(@DefaultValue("http://127.0.0.1:8081") @NotNull URI auth,
			@DefaultValue("http://127.0.0.1:8082") @NotNull URI rooms,
			@DefaultValue("http://127.0.0.1:8083") @NotNull URI messages,
			@DefaultValue("http://127.0.0.1:8084") @NotNull URI presence) {
	}

}
