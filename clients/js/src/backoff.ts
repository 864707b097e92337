/** How long to wait before reconnect attempt `n` (0-based), and when to give up. */
export interface BackoffOptions {
  /** The first delay, before jitter (ms). Default 500. */
  initialMs: number;
  /** The bound no delay exceeds (ms). Default 30,000. */
  maxMs: number;
  /** Each failed attempt multiplies the delay by this. Default 2. */
  factor: number;
  /**
   * The share of each delay that is random, 0 to 1 (default 0.5: between half and all of it),
   * so that thousands of clients dropped by one node failure do not come back in step.
   */
  jitter: number;
  /** Consecutive failed attempts after which the client gives up (state `closed`). Default: never. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Number.POSITIVE_INFINITY,
});

/** Exponential backoff with jitter, bounded by `maxMs`. */
export function backoffDelay(options: BackoffOptions, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.max(0, Math.round(base * (1 - jitter * random())));
}
