import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
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

/** Asked for a token before every connection attempt and every `auth` refresh. */
export type TokenProvider = (request: TokenRequest) => string | Promise<string>;

export interface TokenRequest {
  /**
   * true when the last token must not be used again: the server closed with 4401 or warned
   * `token_expired`, an attempt failed before the socket opened (a 401 handshake looks like
   * that to a browser), or the client is refreshing before expiry. A provider may return a
   * cached token when false.
   */
  fresh: boolean;
}

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

/** A send the server acknowledged: Kafka has it, it will be stored exactly once. */
export interface SendReceipt {
  roomId: RoomId;
  clientMsgId: ClientMsgId;
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

/** A send not yet acknowledged. */
export interface PendingSend {
  roomId: RoomId;
  clientMsgId: ClientMsgId;
  body: string;
  attempts: number;
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

/** A send or subscription the server refused, or one cut off because the client closed. */
export class ChatError extends Error {
  override readonly name = 'ChatError';
  constructor(
    /** The protocol's error code (`forbidden`, `invalid`, `not_member`, ...), or `closed`. */
    readonly code: string,
    message: string,
    readonly frame?: ErrorFrame,
  ) {
    super(message);
  }
}

interface Room {
  /** The highest seq delivered (or, after a live-only subscribe, the head it started at). */
  lastSeq: number | undefined;
  subscribed: boolean;
  /** Whether the subscribe in flight asked for a replay. */
  replaying: boolean;
  retries: number;
  waiters: Array<{ resolve: (frame: SubscribedFrame) => void; reject: (error: unknown) => void }>;
}

interface Outgoing extends PendingSend {
  /** Written on the current socket and not yet answered. */
  inFlight: boolean;
  /** Not to be written before this time (epoch ms): after `rate_limited` or `unavailable`. */
  notBefore: number;
  promise: Promise<SendReceipt>;
  resolve: (receipt: SendReceipt) => void;
  reject: (error: unknown) => void;
}

const OPEN = 1;
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CLIENT_MSG_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const RESUBSCRIBE_CODES = new Set(['unavailable']);
const RETRY_SEND_CODES = new Set(['unavailable']);

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

  readonly #rooms = new Map<RoomId, Room>();
  readonly #outbox = new Map<ClientMsgId, Outgoing>();
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
  #sendGateUntil = 0;
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
    return this.#rooms.get(roomId)?.lastSeq;
  }

  /** The rooms followed, subscribed now or to be resubscribed after a reconnect. */
  rooms(): RoomId[] {
    return [...this.#rooms.keys()];
  }

  /** Sends not yet acknowledged, in the order they were made. */
  pending(): PendingSend[] {
    return [...this.#outbox.values()].map(({ roomId, clientMsgId, body, attempts }) => ({
      roomId,
      clientMsgId,
      body,
      attempts,
    }));
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
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = { lastSeq: undefined, subscribed: false, replaying: false, retries: 0, waiters: [] };
      this.#rooms.set(roomId, room);
    }
    if (options.sinceSeq !== undefined) room.lastSeq = Math.max(room.lastSeq ?? 0, options.sinceSeq);
    const target = room;
    const subscribed = new Promise<SubscribedFrame>((resolve, reject) => target.waiters.push({ resolve, reject }));
    if (this.#isOpen()) this.#writeSubscribe(roomId, room);
    return subscribed;
  }

  /** Stops following a room and forgets its last seq. */
  unsubscribe(roomId: RoomId): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    this.#rooms.delete(roomId);
    for (const waiter of room.waiters) waiter.reject(new ChatError('closed', `unsubscribed from ${roomId}`));
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
    let resolve!: (receipt: SendReceipt) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<SendReceipt>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#outbox.set(clientMsgId, { roomId, clientMsgId, body, attempts: 0, inFlight: false, notBefore: 0, promise, resolve, reject });
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
    for (const [roomId, room] of this.#rooms) this.#writeSubscribe(roomId, room);
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
    for (const outgoing of this.#outbox.values()) outgoing.inFlight = false;
    for (const room of this.#rooms.values()) room.subscribed = false;
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
    for (const outgoing of this.#outbox.values()) outgoing.reject(error);
    this.#outbox.clear();
    for (const room of this.#rooms.values()) {
      for (const waiter of room.waiters.splice(0)) waiter.reject(error);
    }
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
        return this.#acknowledge(frame.clientMsgId);
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
    const room = this.#rooms.get(frame.roomId);
    if (!room) return;
    room.subscribed = true;
    room.retries = 0;
    // Live only: the room's head is where this client's view starts. With a replay, the
    // replayed entries up to the head still have to come, so the last seq stays where it was.
    if (!room.replaying) room.lastSeq = Math.max(room.lastSeq ?? 0, frame.lastSeq);
    for (const waiter of room.waiters.splice(0)) waiter.resolve(frame);
    this.emit('subscribed', frame);
  }

  #onMessage(frame: MessageFrame): void {
    // Our own message can overtake its ack: it is stored, so the send is done.
    const outgoing = this.#outbox.get(frame.clientMsgId);
    if (outgoing && outgoing.roomId === frame.roomId && (this.#userId === undefined || this.#userId === frame.senderId)) {
      this.#acknowledge(frame.clientMsgId);
    }
    const room = this.#rooms.get(frame.roomId);
    if (!room) return;
    if (room.lastSeq !== undefined && frame.seq <= room.lastSeq) return; // a replay of what was delivered
    room.lastSeq = frame.seq;
    this.emit('message', frame);
  }

  #acknowledge(clientMsgId: ClientMsgId): void {
    const outgoing = this.#outbox.get(clientMsgId);
    if (!outgoing) return;
    this.#outbox.delete(clientMsgId);
    outgoing.resolve({ roomId: outgoing.roomId, clientMsgId });
  }

  #onError(frame: ErrorFrame): void {
    const outgoing = frame.ref === undefined ? undefined : this.#outbox.get(frame.ref);
    if (outgoing) return this.#onSendError(outgoing, frame);
    const room = frame.ref === undefined ? undefined : this.#rooms.get(frame.ref);
    if (room && !room.subscribed && frame.ref !== undefined) return this.#onSubscribeError(frame.ref, room, frame);
    if (frame.code === 'token_expired') {
      // Five seconds of grace before 4401: hand over a fresh token now.
      this.refreshToken().catch(() => {});
    }
    this.emit('error', frame);
  }

  #onSendError(outgoing: Outgoing, frame: ErrorFrame): void {
    outgoing.inFlight = false;
    if (frame.code === 'rate_limited') {
      // Nothing was published; the same send is taken after retryAfterMs. Hold every send
      // back until then, or the ones behind it would be refused too.
      const retryAt = Date.now() + (frame.retryAfterMs ?? 1000);
      outgoing.notBefore = retryAt;
      this.#sendGateUntil = Math.max(this.#sendGateUntil, retryAt);
      this.#flush();
      return;
    }
    if (RETRY_SEND_CODES.has(frame.code) && outgoing.attempts < this.#maxSendAttempts) {
      outgoing.notBefore = Date.now() + backoffDelay(this.#backoff, outgoing.attempts - 1, this.#random);
      this.#flush();
      return;
    }
    this.#outbox.delete(outgoing.clientMsgId);
    outgoing.reject(new ChatError(frame.code, frame.message, frame));
  }

  #onSubscribeError(roomId: RoomId, room: Room, frame: ErrorFrame): void {
    if (RESUBSCRIBE_CODES.has(frame.code)) {
      // A node still starting cannot promise a gapless replay yet: ask again shortly.
      const delayMs = backoffDelay(this.#backoff, room.retries++, this.#random);
      const generation = this.#generation;
      this.#later(() => {
        if (generation === this.#generation && this.#rooms.get(roomId) === room && !room.subscribed) {
          this.#writeSubscribe(roomId, room);
        }
      }, delayMs);
      return;
    }
    this.#rooms.delete(roomId);
    const error = new ChatError(frame.code, frame.message, frame);
    for (const waiter of room.waiters.splice(0)) waiter.reject(error);
    this.emit('error', frame);
  }

  // -------------------------------------------------------------------------------------------
  // Frames to the server

  #writeSubscribe(roomId: RoomId, room: Room): void {
    room.replaying = room.lastSeq !== undefined;
    this.#write(room.lastSeq === undefined ? { type: 'subscribe', roomId } : { type: 'subscribe', roomId, sinceSeq: room.lastSeq });
  }

  /** Writes every send that is due, in order; schedules itself for the next one that is not. */
  #flush(): void {
    if (this.#flushTimer !== undefined) {
      this.#cancel(this.#flushTimer);
      this.#flushTimer = undefined;
    }
    if (!this.#isOpen()) return;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const outgoing of this.#outbox.values()) {
      if (outgoing.inFlight) continue;
      const due = Math.max(outgoing.notBefore, this.#sendGateUntil);
      if (due > now) {
        next = Math.min(next, due);
        continue;
      }
      outgoing.attempts++;
      outgoing.inFlight = this.#write({
        type: 'send',
        roomId: outgoing.roomId,
        clientMsgId: outgoing.clientMsgId,
        body: outgoing.body,
      });
    }
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

/** The claims of a JWT's payload, or undefined for a token that is not a readable JWT. */
function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const claims: unknown = JSON.parse(globalThis.atob(base64));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function expiryOf(token: string): number | undefined {
  const exp = claimsOf(token)?.['exp'];
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

function subjectOf(token: string): string | undefined {
  const sub = claimsOf(token)?.['sub'];
  return typeof sub === 'string' ? sub : undefined;
}
