import type { ClientMsgId, RoomId, SendFrame } from './frames.js';

/** A send the server acknowledged: Kafka has it, it will be stored exactly once. */
export interface SendReceipt {
  roomId: RoomId;
  clientMsgId: ClientMsgId;
}

/** A send not yet acknowledged. */
export interface PendingSend {
  roomId: RoomId;
  clientMsgId: ClientMsgId;
  body: string;
  /** How many times it was written to a socket. */
  attempts: number;
}

export interface Outgoing extends PendingSend {
  /** Written on the current socket and not yet answered. */
  inFlight: boolean;
  /** Not to be written before this time (epoch ms): after `rate_limited` or `unavailable`. */
  notBefore: number;
  promise: Promise<SendReceipt>;
  resolve: (receipt: SendReceipt) => void;
  reject: (error: unknown) => void;
}

/**
 * The sends not yet acknowledged, in the order they were made. Each keeps its clientMsgId for
 * life, so a resend after a reconnect is the same send to the server (stored once).
 */
export class Outbox {
  readonly #sends = new Map<ClientMsgId, Outgoing>();
  /** No send is written before this (epoch ms): a rate limit holds back the ones behind it too. */
  #gateUntil = 0;

  /** A new send, or the pending one with the same clientMsgId. */
  add(roomId: RoomId, clientMsgId: ClientMsgId, body: string): Promise<SendReceipt> {
    const existing = this.#sends.get(clientMsgId);
    if (existing) return existing.promise;
    let resolve!: (receipt: SendReceipt) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<SendReceipt>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#sends.set(clientMsgId, { roomId, clientMsgId, body, attempts: 0, inFlight: false, notBefore: 0, promise, resolve, reject });
    return promise;
  }

  get(clientMsgId: ClientMsgId): Outgoing | undefined {
    return this.#sends.get(clientMsgId);
  }

  /** The send is taken (its ack, or the stored message itself, arrived). */
  acknowledge(clientMsgId: ClientMsgId): void {
    const outgoing = this.#sends.get(clientMsgId);
    if (!outgoing) return;
    this.#sends.delete(clientMsgId);
    outgoing.resolve({ roomId: outgoing.roomId, clientMsgId });
  }

  /** The send is refused for good. */
  reject(clientMsgId: ClientMsgId, error: unknown): void {
    const outgoing = this.#sends.get(clientMsgId);
    if (!outgoing) return;
    this.#sends.delete(clientMsgId);
    outgoing.reject(error);
  }

  /** Writes the send again, not before `at`; with `holdAll`, no other send goes out before then either. */
  retryAt(outgoing: Outgoing, at: number, holdAll: boolean): void {
    outgoing.inFlight = false;
    outgoing.notBefore = at;
    if (holdAll) this.#gateUntil = Math.max(this.#gateUntil, at);
  }

  /**
   * Writes every send that is due and not in flight, in order; returns when the next one that
   * is not yet due will be (or Infinity).
   */
  writeDue(now: number, write: (frame: SendFrame) => boolean): number {
    let next = Number.POSITIVE_INFINITY;
    for (const outgoing of this.#sends.values()) {
      if (outgoing.inFlight) continue;
      const due = Math.max(outgoing.notBefore, this.#gateUntil);
      if (due > now) {
        next = Math.min(next, due);
        continue;
      }
      outgoing.attempts++;
      outgoing.inFlight = write({ type: 'send', roomId: outgoing.roomId, clientMsgId: outgoing.clientMsgId, body: outgoing.body });
    }
    return next;
  }

  /** The socket went: whatever was in flight is unanswered and goes out again on the next one. */
  detached(): void {
    for (const outgoing of this.#sends.values()) outgoing.inFlight = false;
  }

  rejectAll(error: unknown): void {
    for (const outgoing of this.#sends.values()) outgoing.reject(error);
    this.#sends.clear();
  }

  list(): PendingSend[] {
    return [...this.#sends.values()].map(({ roomId, clientMsgId, body, attempts }) => ({ roomId, clientMsgId, body, attempts }));
  }
}
