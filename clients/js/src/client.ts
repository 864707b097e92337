import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { ChatError } from './errors.js';
import { Outbox, type PendingSend, type SendReceipt } from './outbox.js';
import { RoomTracker } from './rooms.js';
import { expiryOf, subjectOf, type TokenProvider } from './token.js';
import {
  CloseCodes,
  decodeServerFrame,
  type ClientFrame,
  type ClientMsgId,
  type ErrorFrame,
  type MemberFrame,
  type MessageFrame,
  type PresenceFrame,
  type RoomId,
  type ServerFrame,
  type ServerTypingFrame,
  type SubscribedFrame,
} from './frames.js';

/** The connection as an application shows it. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What came with the latest state change. */
export interface StateDetail {
  /** The close code of the socket that just closed, when one did. */
  code?: number;
  reason?: string;
  /** `reconnecting`: the delay before the next attempt, and its number (1 for the first). */
  delayMs?: number;
  attempt?: number;
  /** `closed` for good: why the client stopped (`closed` by the application, `logged_out`, ...). */
  cause?: CloseCause;
  /** The error that made an attempt fail before any socket, e.g. from the token provider. */
  error?: unknown;
}

export type CloseCause = 'closed' | 'logged_out' | 'policy_violation' | 'gave_up';

/** The part of the WHATWG `WebSocket` the client uses (the browser's, Node 22's, or the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ChatClientOptions {
  /**
   * The socket's address, e.g. `wss://chat.example.com/ws`; several are tried in turn (a close
   * 1012, or a failed attempt, moves on to the next). The token goes in the `access_token`
   * query parameter, the one way a browser can pass it on a handshake.
   */
  url: string | readonly string[];
  token: TokenProvider;
  /** Default: the global `WebSocket` (browsers, Node 22+). */
  WebSocket?: WebSocketConstructor;
  /** Reconnect delays; see {@link BackoffOptions}. */
  backoff?: Partial<BackoffOptions>;
  /** How often to send `ping` while open (ms); 0 turns it off. Default 25,000. */
  pingIntervalMs?: number;
  /** How long to wait for any frame after a `ping` before dropping the socket (ms). Default 10,000. */
  pongTimeoutMs?: number;
  /**
   * How long before a JWT's `exp` to send `auth` with a fresh token (ms); 0 turns it off. The
   * server closes 4401 five seconds after expiry without one. Default 30,000.
   */
  refreshBeforeExpiryMs?: number;
  /** The least time between two `typing` frames for one room (ms). Default 2,000, the server's own throttle. */
  typingIntervalMs?: number;
  /** How many times one send is tried when the server answers `unavailable`. Default 10. */
  maxSendAttempts?: number;
  /** Makes the `clientMsgId` of a send. Default `crypto.randomUUID()`. */
  clientMsgId?: () => ClientMsgId;
  /** The random source of the backoff jitter (tests make it fixed). */
  random?: () => number;
}

export interface SendOptions {
  /** The id to send with (a retry of an earlier send must reuse its id). Default: a new one. */
  clientMsgId?: ClientMsgId;
}

export interface SubscribeOptions {
  /**
   * The highest seq the application already has (from storage, or a history page read over
   * REST): every room event after it is replayed before live events. Default: live events only.
   */
  sinceSeq?: number;
}

/** The events of a {@link ChatClient}. */
export interface ChatClientEvents {
  /** The connection state changed (`reconnecting` is emitted again for every attempt). */
  state: (state: ConnectionState, detail: StateDetail) => void;
  /** An entry of a room's sequence, each seq once and in order per room (replays are dropped). */
  message: (frame: MessageFrame) => void;
  presence: (frame: PresenceFrame) => void;
  member: (frame: MemberFrame) => void;
  /** Someone is typing in a room. */
  typing: (frame: ServerTypingFrame) => void;
  /** A subscription (re)started; `lastSeq` is the room's head at that moment. */
  subscribed: (frame: SubscribedFrame) => void;
  /**
   * An error frame no pending send or subscription took: a send refused after its ack (for
   * example `not_member`), `invalid_token` to an `auth`, a protocol error.
   */
  error: (frame: ErrorFrame) => void;
  /** Every decoded server frame, before de-duplication. */
  frame: (frame: ServerFrame) => void;
}

const OPEN = 1;
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CLIENT_MSG_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const RESUBSCRIBE_CODES = new Set(['unavailable']);
const RETRY_SEND_CODES = new Set(['unavailable']);

export { ChatError, type PendingSend, type SendReceipt, type TokenProvider };
export type { TokenRequest } from './token.js';

/**
 * A client of WebSocket protocol v1 that hides the connection's life from the application:
 * it reconnects with bounded exponential backoff and jitter, resubscribes every room with
 * `sinceSeq` (the highest seq it has seen there) so nothing is missed, delivers each room's
 * entries once and in order, resends unacknowledged sends with their original `clientMsgId`
 * (stored once by the server), honours `retryAfterMs`, refreshes the token with `auth` before it
 * expires, and acts on every close code of docs/websocket.md.
 */
export class ChatClient extends Emitter<ChatClientEvents> {
  readonly #urls: readonly string[];
  readonly #tokens: TokenProvider;
  readonly #WebSocket: WebSocketConstructor;
  readonly #backoff: BackoffOptions;
  readonly #pingIntervalMs: number;
  readonly #pongTimeoutMs: number;
  readonly #refreshBeforeExpiryMs: number;
  readonly #typingIntervalMs: number;
  readonly #maxSendAttempts: number;
  readonly #newClientMsgId: () => ClientMsgId;
  readonly #random: () => number;

  readonly #rooms = new RoomTracker();
  readonly #outbox = new Outbox();
  readonly #typingSentAt = new Map<RoomId, number>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #connectWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];

  #state: ConnectionState = 'closed';
  #socket: WebSocketLike | undefined;
  /** Bumped for every socket; events of an older one are ignored. */
  #generation = 0;
  #attempt = 0;
  #urlIndex = 0;
  #freshToken = false;
  #stopped = true;
  #userId: string | undefined;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setTimeout> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ChatClientOptions) {
    super();
    this.#urls = typeof options.url === 'string' ? [options.url] : [...options.url];
    if (this.#urls.length === 0) throw new TypeError('ChatClient: at least one url is needed');
    this.#tokens = options.token;
    const ctor: WebSocketConstructor | undefined =
      options.WebSocket ?? (typeof globalThis.WebSocket === 'function' ? globalThis.WebSocket : undefined);
    if (!ctor) {
      throw new TypeError('ChatClient: no global WebSocket (Node before 22?): pass options.WebSocket, e.g. from the ws package');
    }
    this.#WebSocket = ctor;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.#pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.#refreshBeforeExpiryMs = options.refreshBeforeExpiryMs ?? 30_000;
    this.#typingIntervalMs = options.typingIntervalMs ?? 2_000;
    this.#maxSendAttempts = options.maxSendAttempts ?? 10;
    this.#newClientMsgId = options.clientMsgId ?? randomId;
    this.#random = options.random ?? Math.random;
  }

  /** Makes a client and connects it; resolves once the first socket is open. */
  static async connect(
    url: string | readonly string[],
    token: TokenProvider,
    options: Omit<ChatClientOptions, 'url' | 'token'> = {},
  ): Promise<ChatClient> {
    const client = new ChatClient({ ...options, url, token });
    await client.connect();
    return client;
  }

  /** The connection's state now. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The highest seq seen in a room (what the next resubscribe sends as `sinceSeq`). */
  lastSeq(roomId: RoomId): number | undefined {
    return this.#rooms.lastSeq(roomId);
  }

  /** The rooms followed, subscribed now or to be resubscribed after a reconnect. */
  rooms(): RoomId[] {
    return this.#rooms.ids();
  }

  /** Sends not yet acknowledged, in the order they were made. */
  pending(): PendingSend[] {
    return this.#outbox.list();
  }

  /**
   * Starts connecting (and keeps the connection up until {@link close}); resolves when a socket
   * is open, rejects when the client closes for good first.
   */
  connect(): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    const opened = new Promise<void>((resolve, reject) => this.#connectWaiters.push({ resolve, reject }));
    if (this.#stopped) {
      this.#stopped = false;
      this.#attempt = 0;
      this.#setState('connecting', {});
      void this.#open();
    }
    return opened;
  }

  /**
   * Closes the socket (1000) and stops reconnecting. Pending sends and subscriptions are
   * rejected with `ChatError('closed')`; rooms and their last seqs are kept, so a later
   * {@link connect} resumes where this one stopped.
   */
  close(): void {
    this.#terminate({ code: CloseCodes.NORMAL, cause: 'closed' });
  }

  /**
   * Follows a room: resolves with the `subscribed` frame. After any reconnect the room is
   * subscribed again with `sinceSeq`. Rejects with a `ChatError` (`forbidden`, `not_found`) when
   * the server refuses.
   */
  subscribe(roomId: RoomId, options: SubscribeOptions = {}): Promise<SubscribedFrame> {
    if (!ROOM_ID.test(roomId)) return Promise.reject(new ChatError('invalid', `not a room id: ${roomId}`));
    const subscribed = this.#rooms.follow(roomId, options.sinceSeq);
    if (this.#isOpen()) this.#writeSubscribe(roomId);
    return subscribed;
  }

  /** Stops following a room and forgets its last seq. */
  unsubscribe(roomId: RoomId): void {
    if (this.#rooms.get(roomId) === undefined) return;
    this.#rooms.forget(roomId, new ChatError('closed', `unsubscribed from ${roomId}`));
    if (this.#isOpen()) this.#write({ type: 'unsubscribe', roomId });
  }

  /**
   * Sends a message; resolves at the server's `ack` (or at the message itself, which can
   * overtake it). Made while disconnected, it goes out once connected; unanswered when a socket
   * closes, it is sent again with the same `clientMsgId`, which the server stores once.
   * `rate_limited` waits `retryAfterMs` and `unavailable` backs off, then the same send is
   * retried; any other refusal rejects with a `ChatError`. A refusal after the ack (message-
   * service's `not_member`, ...) arrives as an `error` event with `ref` = the clientMsgId.
   */
  send(roomId: RoomId, body: string, options: SendOptions = {}): Promise<SendReceipt> {
    const clientMsgId = options.clientMsgId ?? this.#newClientMsgId();
    const existing = this.#outbox.get(clientMsgId);
    if (existing) return existing.promise;
    if (!ROOM_ID.test(roomId)) return Promise.reject(new ChatError('invalid', `not a room id: ${roomId}`));
    if (!CLIENT_MSG_ID.test(clientMsgId)) return Promise.reject(new ChatError('invalid', `not a clientMsgId: ${clientMsgId}`));
    if (body.trim().length === 0 || body.length > 4000) {
      return Promise.reject(new ChatError('invalid', 'body must be 1 to 4,000 characters, not blank'));
    }
    const promise = this.#outbox.add(roomId, clientMsgId, body);
    this.#flush();
    return promise;
  }

  /** Tells a room the user is typing; at most one frame per room every `typingIntervalMs`, none while disconnected. */
  typing(roomId: RoomId): void {
    if (!this.#isOpen()) return;
    const now = Date.now();
    if (now - (this.#typingSentAt.get(roomId) ?? Number.NEGATIVE_INFINITY) < this.#typingIntervalMs) return;
    this.#typingSentAt.set(roomId, now);
    this.#write({ type: 'typing', roomId });
  }

  /**
   * Asks the token provider for a fresh token and hands it to the server with `auth` (the
   * client does this by itself before a JWT's expiry, and on `token_expired`). Does nothing
   * while disconnected: every connection attempt asks the provider anyway.
   */
  async refreshToken(): Promise<void> {
    if (!this.#isOpen()) return;
    const generation = this.#generation;
    const token = await this.#tokens({ fresh: true });
    if (generation !== this.#generation || !this.#isOpen()) return;
    this.#write({ type: 'auth', token });
    this.#scheduleRefresh(token);
  }

  // -------------------------------------------------------------------------------------------
  // Connection life

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    let token: string;
    try {
      token = await this.#tokens({ fresh: this.#freshToken });
    } catch (error) {
      if (generation === this.#generation && !this.#stopped) this.#retry({ error }, false);
      return;
    }
    if (generation !== this.#generation || this.#stopped) return;
    this.#freshToken = false;
    this.#userId = subjectOf(token);
    let socket: WebSocketLike;
    try {
      const url = new URL(this.#urls[this.#urlIndex % this.#urls.length]!);
      url.searchParams.set('access_token', token);
      socket = new this.#WebSocket(url.toString());
    } catch (error) {
      // A malformed url, or a constructor that refused it: counted as a failed attempt.
      this.#retry({ error }, false);
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (generation !== this.#generation) return;
      opened = true;
      this.#onOpen(token);
    };
    socket.onmessage = (event: { data?: unknown }) => {
      if (generation !== this.#generation) return;
      if (typeof event.data === 'string') this.#onText(event.data);
    };
    socket.onclose = (event: { code?: number; reason?: string }) => {
      if (generation !== this.#generation) return;
      this.#onClose(event.code ?? CloseCodes.ABNORMAL, event.reason ?? '', opened);
    };
    socket.onerror = () => {
      // A close event always follows; it says what to do.
    };
  }

  #onOpen(token: string): void {
    this.#attempt = 0;
    this.#setState('open', {});
    for (const waiter of this.#connectWaiters.splice(0)) waiter.resolve();
    this.#schedulePing();
    this.#scheduleRefresh(token);
    for (const roomId of this.#rooms.ids()) this.#writeSubscribe(roomId);
    this.#flush();
  }

  #onClose(code: number, reason: string, opened: boolean): void {
    this.#detach();
    if (this.#stopped) return;
    if (code === CloseCodes.LOGGED_OUT) {
      this.#terminate({ code, reason, cause: 'logged_out' });
      return;
    }
    if (code === CloseCodes.POLICY_VIOLATION) {
      this.#terminate({ code, reason, cause: 'policy_violation' });
      return;
    }
    if (code === CloseCodes.TOKEN_EXPIRED) {
      this.#freshToken = true;
      this.#retry({ code, reason }, opened);
      return;
    }
    if (code === CloseCodes.SERVICE_RESTART) {
      // The node is going away: any other node will do, at once.
      this.#urlIndex++;
      this.#retry({ code, reason }, opened);
      return;
    }
    if (!opened) {
      // A refused handshake (401, 503) reaches a browser as a bare 1006: try another address
      // and a token that is surely fresh.
      this.#urlIndex++;
      this.#freshToken = true;
    }
    this.#retry({ code, reason }, false);
  }

  /** Schedules the next attempt: at once when `immediate` (a socket that was open ended in a way that asks for it). */
  #retry(detail: StateDetail, immediate: boolean): void {
    this.#detach();
    const attempt = ++this.#attempt;
    if (attempt > this.#backoff.maxAttempts) {
      this.#terminate({ ...detail, cause: 'gave_up' });
      return;
    }
    const delayMs = immediate ? 0 : backoffDelay(this.#backoff, attempt - 1, this.#random);
    this.#setState('reconnecting', { ...detail, delayMs, attempt });
    this.#later(() => void this.#open(), delayMs);
  }

  /** Forgets the current socket (its late events are ignored) and every per-socket timer. */
  #detach(): void {
    this.#generation++;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // Closing a socket still connecting raises an error event (the ws package throws it
      // when nobody listens): keep a listener that ignores it.
      socket.onerror = () => {};
    }
    for (const timer of [this.#pingTimer, this.#pongTimer, this.#refreshTimer, this.#flushTimer]) {
      if (timer !== undefined) this.#cancel(timer);
    }
    this.#pingTimer = this.#pongTimer = this.#refreshTimer = this.#flushTimer = undefined;
    this.#outbox.detached();
    this.#rooms.detached();
  }

  #terminate(detail: StateDetail & { cause: CloseCause }): void {
    const socket = this.#socket;
    this.#stopped = true;
    this.#detach();
    if (socket && socket.readyState <= OPEN) {
      try {
        socket.close(CloseCodes.NORMAL);
      } catch {
        // already closing
      }
    }
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const error = new ChatError('closed', `the client closed (${detail.cause})`);
    for (const waiter of this.#connectWaiters.splice(0)) waiter.reject(error);
    this.#outbox.rejectAll(error);
    this.#rooms.rejectWaiters(error);
    this.#setState('closed', detail);
  }

  #setState(state: ConnectionState, detail: StateDetail): void {
    if (this.#state === state && state !== 'reconnecting') return;
    this.#state = state;
    this.emit('state', state, detail);
  }

  #isOpen(): boolean {
    return this.#state === 'open' && this.#socket !== undefined && this.#socket.readyState === OPEN;
  }

  #write(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  #later(task: () => void, delayMs: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task();
    }, delayMs);
    this.#timers.add(timer);
    return timer;
  }

  #cancel(timer: ReturnType<typeof setTimeout>): void {
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  // -------------------------------------------------------------------------------------------
  // Keeping the socket and the token alive

  #schedulePing(): void {
    if (this.#pingIntervalMs <= 0) return;
    this.#pingTimer = this.#later(() => {
      this.#pingTimer = undefined;
      if (!this.#write({ type: 'ping' })) return;
      this.#pongTimer = this.#later(() => {
        // Nothing came back: the socket is dead even if no close arrived (a laptop's sleep, a
        // lost network). Drop it and reconnect rather than wait for TCP to notice.
        this.#pongTimer = undefined;
        const socket = this.#socket;
        this.#onClose(CloseCodes.ABNORMAL, 'no pong', true);
        try {
          socket?.close(CloseCodes.NORMAL, 'no pong');
        } catch {
          // already closing
        }
      }, this.#pongTimeoutMs);
      this.#schedulePing();
    }, this.#pingIntervalMs);
  }

  #scheduleRefresh(token: string): void {
    if (this.#refreshTimer !== undefined) this.#cancel(this.#refreshTimer);
    this.#refreshTimer = undefined;
    if (this.#refreshBeforeExpiryMs <= 0) return;
    const expiresAt = expiryOf(token);
    if (expiresAt === undefined) return;
    const delayMs = Math.max(0, expiresAt - this.#refreshBeforeExpiryMs - Date.now());
    // setTimeout fires at once for delays above 2^31-1 ms: a refresh 24 days out is checked again later.
    this.#refreshTimer = this.#later(() => {
      this.#refreshTimer = undefined;
      if (expiresAt - this.#refreshBeforeExpiryMs - Date.now() > 1000) {
        this.#scheduleRefresh(token);
        return;
      }
      this.refreshToken().catch(() => {
        // The provider failed: the server warns token_expired, which triggers another try.
      });
    }, Math.min(delayMs, 2_147_483_647));
  }

  // -------------------------------------------------------------------------------------------
  // Frames from the server

  #onText(text: string): void {
    const frame = decodeServerFrame(text);
    if (!frame) return;
    if (this.#pongTimer !== undefined) {
      // Any frame proves the socket alive.
      this.#cancel(this.#pongTimer);
      this.#pongTimer = undefined;
    }
    this.emit('frame', frame);
    switch (frame.type) {
      case 'subscribed':
        return this.#onSubscribed(frame);
      case 'ack':
        return this.#outbox.acknowledge(frame.clientMsgId);
      case 'message':
        return this.#onMessage(frame);
      case 'presence':
        return this.emit('presence', frame);
      case 'member':
        return this.emit('member', frame);
      case 'typing':
        return this.emit('typing', frame);
      case 'error':
        return this.#onError(frame);
      case 'pong':
        return;
      default:
        return assertNever(frame);
    }
  }

  #onSubscribed(frame: SubscribedFrame): void {
    if (this.#rooms.subscribed(frame)) this.emit('subscribed', frame);
  }

  #onMessage(frame: MessageFrame): void {
    // Our own message can overtake its ack: it is stored, so the send is done.
    const outgoing = this.#outbox.get(frame.clientMsgId);
    if (outgoing && outgoing.roomId === frame.roomId && (this.#userId === undefined || this.#userId === frame.senderId)) {
      this.#outbox.acknowledge(frame.clientMsgId);
    }
    if (this.#rooms.accept(frame)) this.emit('message', frame);
  }

  #onError(frame: ErrorFrame): void {
    const ref = frame.ref;
    if (ref !== undefined && this.#outbox.get(ref)) return this.#onSendError(ref, frame);
    const room = ref === undefined ? undefined : this.#rooms.get(ref);
    if (ref !== undefined && room && !room.subscribed) return this.#onSubscribeError(ref, frame);
    if (frame.code === 'token_expired') {
      // Five seconds of grace before 4401: hand over a fresh token now.
      this.refreshToken().catch(() => {});
    }
    this.emit('error', frame);
  }

  #onSendError(clientMsgId: ClientMsgId, frame: ErrorFrame): void {
    const outgoing = this.#outbox.get(clientMsgId)!;
    if (frame.code === 'rate_limited') {
      // Nothing was published; the same send is taken after retryAfterMs. Hold every send
      // back until then, or the ones behind it would be refused too.
      this.#outbox.retryAt(outgoing, Date.now() + (frame.retryAfterMs ?? 1000), true);
      this.#flush();
      return;
    }
    if (RETRY_SEND_CODES.has(frame.code) && outgoing.attempts < this.#maxSendAttempts) {
      const delayMs = backoffDelay(this.#backoff, outgoing.attempts - 1, this.#random);
      this.#outbox.retryAt(outgoing, Date.now() + delayMs, false);
      this.#flush();
      return;
    }
    this.#outbox.reject(clientMsgId, new ChatError(frame.code, frame.message, frame));
  }

  #onSubscribeError(roomId: RoomId, frame: ErrorFrame): void {
    const room = this.#rooms.get(roomId)!;
    if (RESUBSCRIBE_CODES.has(frame.code)) {
      // A node still starting cannot promise a gapless replay yet: ask again shortly.
      const delayMs = backoffDelay(this.#backoff, room.retries++, this.#random);
      const generation = this.#generation;
      this.#later(() => {
        if (generation === this.#generation && this.#rooms.get(roomId) === room && !room.subscribed) {
          this.#writeSubscribe(roomId);
        }
      }, delayMs);
      return;
    }
    this.#rooms.forget(roomId, new ChatError(frame.code, frame.message, frame));
    this.emit('error', frame);
  }

  // -------------------------------------------------------------------------------------------
  // Frames to the server

  #writeSubscribe(roomId: RoomId): void {
    const frame = this.#rooms.subscribeFrame(roomId);
    if (frame) this.#write(frame);
  }

  /** Writes every send that is due, in order; schedules itself for the next one that is not. */
  #flush(): void {
    if (this.#flushTimer !== undefined) {
      this.#cancel(this.#flushTimer);
      this.#flushTimer = undefined;
    }
    if (!this.#isOpen()) return;
    const now = Date.now();
    const next = this.#outbox.writeDue(now, (frame) => this.#write(frame));
    if (next !== Number.POSITIVE_INFINITY) {
      this.#flushTimer = this.#later(() => {
        this.#flushTimer = undefined;
        this.#flush();
      }, next - now);
    }
  }
}

/**
 * A random clientMsgId. `crypto.randomUUID` exists only in secure contexts (https, localhost);
 * `getRandomValues` everywhere.
 */
function randomId(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function assertNever(value: never): void {
  void value;
}
