package dev.chat.gateway.ratelimit;

import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * One limit applied per key (a user, an address): this node's share of it as a Bucket4j token
 * bucket per key, and the {@code RateLimit-Policy} and {@code RateLimit} header values of
 * draft-ietf-httpapi-ratelimit-headers that tell a client where it stands.
 * <p>
 * A bucket not used for a whole period is full again, so dropping it then loses nothing: the
 * cache holds only the keys seen lately, and at most {@code maxKeys} of them.
 */
final class Quota {

	private final String name;

	private final RateLimitProperties.Limit limit;

	private final int nodes;

	private final long nodeCapacity;

	private final Cache<String, Bucket> buckets;

	private final String policyHeader;

	Quota(String name, RateLimitProperties.Limit limit, int nodes, int maxKeys) {
		this.name = name;
		this.limit = limit;
		this.nodes = nodes;
		this.nodeCapacity = Math.max(1, Math.ceilDiv(limit.capacity(), nodes));
		this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(limit.period()).build();
		this.policyHeader = "\"%s\";q=%d;w=%d".formatted(name, limit.capacity(), seconds(limit.period().toNanos()));
	}

	/** Takes one request from the key's bucket, if it has one left. */
	Use take(String key) {
		return new Use(buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1));
	}

	String name() {
		return name;
	}

	String policyHeader() {
		return policyHeader;
	}

	private Bucket newBucket() {
		return Bucket.builder()
			.addLimit(bandwidth -> bandwidth.capacity(nodeCapacity).refillGreedy(nodeCapacity, limit.period()))
			.build();
	}

	private static long seconds(long nanos) {
		return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
	}

	/** The outcome of one request against the quota. */
	final class Use {

		private final ConsumptionProbe probe;

		private Use(ConsumptionProbe probe) {
			this.probe = probe;
		}

		boolean allowed() {
			return probe.isConsumed();
		}

		/** Whole seconds until one more request is allowed, at least 1. */
		long retryAfterSeconds() {
			return seconds(probe.getNanosToWaitForRefill());
		}

		/**
		 * What is left of the whole limit, estimated as this node's remainder times the nodes
		 * (nginx spreads a client's requests evenly), and the seconds until it is full again.
		 */
		String header() {
			long remaining = Math.min(limit.capacity(), probe.getRemainingTokens() * nodes);
			long reset = probe.getRemainingTokens() >= nodeCapacity ? 0 : seconds(probe.getNanosToWaitForReset());
			return "\"%s\";r=%d;t=%d".formatted(name, remaining, reset);
		}

	}

}
