package dev.chat.gateway.socket;

/**
 * A token bucket per connection: {@code perSecond} sends on average, bursts up to
 * {@code burst}. Past it, sends are answered with {@code error {code: rate_limited}} and not
 * published.
 */
final class SendRate {

	private final double perSecond;

	private final double burst;

	private double tokens;

	private long lastRefillNanos = System.nanoTime();

	SendRate(double perSecond, double burst) {
		this.perSecond = perSecond;
		this.burst = burst;
		this.tokens = burst;
	}

	synchronized boolean tryAcquire() {
		long now = System.nanoTime();
		tokens = Math.min(burst, tokens + (now - lastRefillNanos) / 1e9 * perSecond);
		lastRefillNanos = now;
		if (tokens < 1) {
			return false;
		}
		tokens -= 1;
		return true;
	}

}
