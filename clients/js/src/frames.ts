/**
 * The frames of WebSocket protocol v1, as docs/asyncapi.yaml and docs/websocket.md name them.
 *
 * Field names are the public contract: they are never renamed here, and a field the server may
 * leave out is optional (`?`). `FRAME_FIELDS` below repeats every frame's field names as data;
 * the compiler checks that it agrees with these types, and test/asyncapi.test.mjs checks that it
 * agrees with the AsyncAPI document, so the three cannot drift apart silently.
 */

/** A room's id: 1-64 of `[A-Za-z0-9_-]`. */
export type RoomId = string;
/** The sender's id for a message: 1-64 of `[A-Za-z0-9._:-]`; a retry with the same id is stored once. */
export type ClientMsgId = string;
/** A Keycloak user id (the `sub` of the user's tokens), a lowercase UUID. */
export type UserId = string;
/** An ISO-8601 instant, for example `2026-12-06T19:00:00.123Z`. */
export type Instant = string;

// ---------------------------------------------------------------------------------------------
// Client to server

/** Start (or resume) following a room. Members only. */
export interface SubscribeFrame {
  type: 'subscribe';
  roomId: RoomId;
  /** When present, first replay every room event after this seq (the highest seq the client has seen). */
  sinceSeq?: number;
}

/** Stop following a room; no answer. */
export interface UnsubscribeFrame {
  type: 'unsubscribe';
  roomId: RoomId;
}

/** Send a message: answered `ack {clientMsgId}` once Kafka durably has it, or `error {ref: clientMsgId}`. */
export interface SendFrame {
  type: 'send';
  roomId: RoomId;
  clientMsgId: ClientMsgId;
  /** 1 to 4,000 characters, not blank, no control characters but newline and tab. */
  body: string;
}

/** "I am typing" in a room; the server passes on at most one per user and room every 2 s. */
export interface ClientTypingFrame {
  type: 'typing';
  roomId: RoomId;
}

/** A fresh access token of the same user, sent before the current one expires. */
export interface AuthFrame {
  type: 'auth';
  token: string;
}

/** Answered `pong`. */
export interface PingFrame {
  type: 'ping';
}

/** Every frame a client may send. */
export type ClientFrame =
  | SubscribeFrame
  | UnsubscribeFrame
  | SendFrame
  | ClientTypingFrame
  | AuthFrame
  | PingFrame;

// ---------------------------------------------------------------------------------------------
// Server to client

/** The subscription started. */
export interface SubscribedFrame {
  type: 'subscribed';
  roomId: RoomId;
  /** The room's last seq when the subscription started (0: no entry yet). */
  lastSeq: number;
}

/** Kafka has durably taken the send with this id; it will be stored (exactly once). */
export interface AckFrame {
  type: 'ack';
  clientMsgId: ClientMsgId;
}

/**
 * An entry of a room's sequence, live or replayed. An edit or a delete is an entry too: its own
 * new `seq`, the original `id`, and `editedAt` or `deleted: true`.
 */
export interface MessageFrame {
  type: 'message';
  roomId: RoomId;
  /** The message's id, stable across edits and deletes (`<roomId>-<seq of the original>`). */
  id: string;
  /** This entry's position in the room: strictly increasing, the same for everyone. */
  seq: number;
  senderId: UserId;
  /** The text; absent once deleted. */
  body?: string;
  /** When message-service stored the (original) message. */
  sentAt: Instant;
  /** The sender's id for the message, so a sender can match its send. */
  clientMsgId: ClientMsgId;
  /** Set on an edit: when it was edited. */
  editedAt?: Instant;
  /** true on a delete. */
  deleted?: boolean;
}

/** A user came online or went offline in a room. */
export interface PresenceFrame {
  type: 'presence';
  roomId: RoomId;
  userId: UserId;
  status: PresenceStatus;
}

/** A user joined or left a room. */
export interface MemberFrame {
  type: 'member';
  roomId: RoomId;
  userId: UserId;
  change: MemberChange;
}

/** Someone else is typing in a room. */
export interface ServerTypingFrame {
  type: 'typing';
  roomId: RoomId;
  userId: UserId;
}

/** Something the client sent, or the connection's state, is wrong; the socket stays open unless a close follows. */
export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  /** For people. */
  message: string;
  /** What the error refers to, when known: the clientMsgId of a send, or the roomId. */
  ref?: string;
  /** With `rate_limited`: the milliseconds after which the same frame would be taken. */
  retryAfterMs?: number;
}

/** The answer to `ping`. */
export interface PongFrame {
  type: 'pong';
}

/** Every frame the server may send. */
export type ServerFrame =
  | SubscribedFrame
  | AckFrame
  | MessageFrame
  | PresenceFrame
  | MemberFrame
  | ServerTypingFrame
  | ErrorFrame
  | PongFrame;

export type PresenceStatus = 'online' | 'offline';
export type MemberChange = 'joined' | 'left';

/**
 * The error codes docs/websocket.md lists, plus message-service's reasons for a refused send. Any
 * other string may come (new reasons are added without a protocol version), hence the open end.
 */
export type ErrorCode =
  | 'malformed'
  | 'unknown_type'
  | 'too_large'
  | 'invalid'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  | 'token_expired'
  | 'invalid_token'
  | 'not_member'
  | 'room_not_found'
  | (string & {});

/** WebSocket close codes the gateway uses, and what a client does on each (docs/websocket.md). */
export const CloseCodes = {
  /** A close the client asked for. */
  NORMAL: 1000,
  /** The client stopped answering the server's pings: reconnect, resubscribe with sinceSeq. */
  GOING_AWAY: 1001,
  /** No close frame at all (network loss, a node that died): reconnect, resubscribe. */
  ABNORMAL: 1006,
  /** Ten protocol errors in a row: a client bug; reconnecting as is fails again. */
  POLICY_VIOLATION: 1008,
  /** The node is shutting down: reconnect at once to any node, resubscribe, resend unanswered sends. */
  SERVICE_RESTART: 1012,
  /** The client could not keep up with its rooms' traffic: reconnect, resubscribe with sinceSeq. */
  TRY_AGAIN_LATER: 1013,
  /** The token expired and no fresh one came: get a new token, then reconnect. */
  TOKEN_EXPIRED: 4401,
  /** The session was logged out: log in again. */
  LOGGED_OUT: 4403,
} as const;

// ---------------------------------------------------------------------------------------------
// The field table, checked against the types above by the compiler and against docs/asyncapi.yaml
// by test/asyncapi.test.mjs.

/** Field names of one frame, `type` excepted. */
export interface FrameFieldSpec {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type FieldsOf<F> = {
  readonly required: readonly Exclude<RequiredKeys<F>, 'type'>[];
  readonly optional: readonly OptionalKeys<F>[];
};
type TableOf<U extends { type: string }> = { readonly [T in U['type']]: FieldsOf<Extract<U, { type: T }>> };

/**
 * Every frame of protocol v1 with its required and optional field names (`type` is the key).
 * `satisfies` rejects a frame type or a field name the TypeScript types do not have;
 * `FrameTableIsComplete` below rejects one the table leaves out.
 */
export const FRAME_FIELDS = {
  client: {
    subscribe: { required: ['roomId'], optional: ['sinceSeq'] },
    unsubscribe: { required: ['roomId'], optional: [] },
    send: { required: ['roomId', 'clientMsgId', 'body'], optional: [] },
    typing: { required: ['roomId'], optional: [] },
    auth: { required: ['token'], optional: [] },
    ping: { required: [], optional: [] },
  },
  server: {
    subscribed: { required: ['roomId', 'lastSeq'], optional: [] },
    ack: { required: ['clientMsgId'], optional: [] },
    message: {
      required: ['roomId', 'id', 'seq', 'senderId', 'sentAt', 'clientMsgId'],
      optional: ['body', 'editedAt', 'deleted'],
    },
    presence: { required: ['roomId', 'userId', 'status'], optional: [] },
    member: { required: ['roomId', 'userId', 'change'], optional: [] },
    typing: { required: ['roomId', 'userId'], optional: [] },
    error: { required: ['code', 'message'], optional: ['ref', 'retryAfterMs'] },
    pong: { required: [], optional: [] },
  },
} as const satisfies { client: TableOf<ClientFrame>; server: TableOf<ServerFrame> };

/** The enumerated field values of the frames, checked against the AsyncAPI document's enums. */
export const FRAME_ENUMS = {
  server: {
    presence: { status: ['online', 'offline'] },
    member: { change: ['joined', 'left'] },
  },
} as const satisfies {
  server: {
    presence: { status: readonly PresenceStatus[] };
    member: { change: readonly MemberChange[] };
  };
};

type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;
type AllTrue<X extends boolean> = false extends X ? false : true;
type TableMatches<U extends { type: string }, Table> = AllTrue<{
  [T in U['type']]: T extends keyof Table
    ? Table[T] extends { required: readonly (infer R)[]; optional: readonly (infer O)[] }
      ? Same<R, Exclude<RequiredKeys<Extract<U, { type: T }>>, 'type'>> extends true
        ? Same<O, OptionalKeys<Extract<U, { type: T }>>>
        : false
      : false
    : false;
}[U['type']]>;
type Table = typeof FRAME_FIELDS;
/** Fails to compile (`false` is not `true`) when a field of a frame type is missing from the table. */
export type FrameTableIsComplete = [TableMatches<ClientFrame, Table['client']>, TableMatches<ServerFrame, Table['server']>];
const frameTableIsComplete: FrameTableIsComplete = [true, true];
void frameTableIsComplete;
const enumsAreComplete: [
  Same<(typeof FRAME_ENUMS)['server']['presence']['status'][number], PresenceStatus>,
  Same<(typeof FRAME_ENUMS)['server']['member']['change'][number], MemberChange>,
] = [true, true];
void enumsAreComplete;

/** The types of frames a client may send, and the server may send. */
export type ClientFrameType = ClientFrame['type'];
export type ServerFrameType = ServerFrame['type'];

const SERVER_TYPES = new Set<string>(Object.keys(FRAME_FIELDS.server));

/**
 * Decodes a text frame from the server: the parsed object when it is JSON with a known `type`
 * and its required fields, otherwise `undefined` (a newer server's unknown frame is ignored, as
 * the protocol's "new optional fields may be added" asks of clients).
 */
export function decodeServerFrame(text: string): ServerFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !SERVER_TYPES.has(type)) return undefined;
  const spec: FrameFieldSpec = FRAME_FIELDS.server[type as ServerFrameType];
  for (const field of spec.required) {
    if (!(field in value)) return undefined;
  }
  return value as ServerFrame;
}
