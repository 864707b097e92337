import { ChatError } from './errors.js';
import type { MessageFrame, RoomId, SubscribeFrame, SubscribedFrame } from './frames.js';

/** One followed room. */
export interface Room {
  /** The highest seq delivered (or, after a live-only subscribe, the head it started at). */
  lastSeq: number | undefined;
  subscribed: boolean;
  /** Whether the subscribe in flight asked for a replay. */
  replaying: boolean;
  /** `unavailable` answers in a row, for the retry's backoff. */
  retries: number;
  waiters: Array<{ resolve: (frame: SubscribedFrame) => void; reject: (error: unknown) => void }>;
}

/**
 * The rooms a client follows, with the highest seq seen in each: what a resubscribe asks to
 * replay from, and what drops a replayed entry already delivered.
 */
export class RoomTracker {
  readonly #rooms = new Map<RoomId, Room>();

  /** Starts (or keeps) following a room; resolves at its next `subscribed`. */
  follow(roomId: RoomId, sinceSeq: number | undefined): Promise<SubscribedFrame> {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = { lastSeq: undefined, subscribed: false, replaying: false, retries: 0, waiters: [] };
      this.#rooms.set(roomId, room);
    }
    if (sinceSeq !== undefined) room.lastSeq = Math.max(room.lastSeq ?? 0, sinceSeq);
    const target = room;
    return new Promise<SubscribedFrame>((resolve, reject) => target.waiters.push({ resolve, reject }));
  }

  get(roomId: RoomId): Room | undefined {
    return this.#rooms.get(roomId);
  }

  ids(): RoomId[] {
    return [...this.#rooms.keys()];
  }

  lastSeq(roomId: RoomId): number | undefined {
    return this.#rooms.get(roomId)?.lastSeq;
  }

  /** Stops following a room; its waiting subscribes reject with `error`. */
  forget(roomId: RoomId, error: unknown): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    this.#rooms.delete(roomId);
    for (const waiter of room.waiters.splice(0)) waiter.reject(error);
  }

  /** The subscribe to write for a room now: with `sinceSeq` once anything was seen there. */
  subscribeFrame(roomId: RoomId): SubscribeFrame | undefined {
    const room = this.#rooms.get(roomId);
    if (!room) return undefined;
    room.replaying = room.lastSeq !== undefined;
    return room.lastSeq === undefined ? { type: 'subscribe', roomId } : { type: 'subscribe', roomId, sinceSeq: room.lastSeq };
  }

  /** A `subscribed` arrived; false for a room no longer followed. */
  subscribed(frame: SubscribedFrame): boolean {
    const room = this.#rooms.get(frame.roomId);
    if (!room) return false;
    room.subscribed = true;
    room.retries = 0;
    // Live only: the room's head is where this client's view starts. With a replay, the
    // replayed entries up to the head still have to come, so the last seq stays where it was.
    if (!room.replaying) room.lastSeq = Math.max(room.lastSeq ?? 0, frame.lastSeq);
    for (const waiter of room.waiters.splice(0)) waiter.resolve(frame);
    return true;
  }

  /** Whether a message is new: a followed room's entry past the highest seq seen (which it becomes). */
  accept(frame: MessageFrame): boolean {
    const room = this.#rooms.get(frame.roomId);
    if (!room) return false;
    if (room.lastSeq !== undefined && frame.seq <= room.lastSeq) return false; // a replay of what was delivered
    room.lastSeq = frame.seq;
    return true;
  }

  /** The socket went: every room is to be subscribed again. */
  detached(): void {
    for (const room of this.#rooms.values()) room.subscribed = false;
  }

  /** Rejects every waiting subscribe (the rooms stay followed, for a later connect). */
  rejectWaiters(error: ChatError): void {
    for (const room of this.#rooms.values()) {
      for (const waiter of room.waiters.splice(0)) waiter.reject(error);
    }
  }
}
