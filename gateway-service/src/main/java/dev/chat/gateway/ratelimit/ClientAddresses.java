package dev.chat.gateway.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request comes from. Behind nginx every peer is nginx, so the client is the
 * nearest hop of {@code X-Forwarded-For} that is not a trusted proxy (nginx appends the address it
 * saw, so what a client wrote there itself is further left and never chosen). The header of a
 * peer that is not a trusted proxy is ignored.
 */
final class ClientAddresses {

	/** IP literals only: {@link InetAddress#getByName} resolves anything else through DNS. */
	private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private final Set<InetAddress> trustedProxies;

	ClientAddresses(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies.stream().map(literal -> {
			InetAddress address = parse(literal);
			if (address == null) {
				throw new IllegalArgumentException("trusted proxy is not an IP address: " + literal);
			}
			return address;
		}).collect(Collectors.toUnmodifiableSet());
	}

	String of(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return "unknown";
		}
		InetAddress peer = remote.getAddress();
		if (!trustedProxies.contains(peer)) {
			return peer.getHostAddress();
		}
		List<String> hops = request.getHeaders()
			.getValuesAsList("X-Forwarded-For");
		for (int i = hops.size() - 1; i >= 0; i--) {
			String hop = hops.get(i).trim();
			InetAddress address = parse(hop);
			if (address == null) {
				return hop;
			}
			if (!trustedProxies.contains(address)) {
				return address.getHostAddress();
			}
		}
		return peer.getHostAddress();
	}

	private static InetAddress parse(String literal) {
		if (!LITERAL.matcher(literal).matches()) {
			return null;
		}
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
