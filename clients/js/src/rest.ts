/**
 * A typed helper for the REST API behind the gateway (`/api/**`), the endpoints a web client
 * needs next to the socket. Shapes follow the services' OpenAPI documents
 * (`GET /api/docs/openapi.json`); every error is an RFC 9457 problem, thrown as a
 * {@link ProblemError}.
 */
import type { ClientMsgId, Instant, MessageFrame, RoomId, UserId } from './frames.js';

/** An RFC 9457 problem document as the platform writes it. Branch on `type`, never on `title` or `detail`. */
export interface Problem {
  /** `urn:chat:problem:validation`, `…:unauthorized`, `…:forbidden`, `…:not-found`, `…:conflict`, `…:rate-limited`, `…:unavailable`, ... */
  type: ProblemType;
  title?: string;
  status: number;
  detail?: string;
  /** The request's path. */
  instance?: string;
  /** The request's W3C trace id (or request id): quote it when reporting a problem. */
  traceId?: string;
  /** For invalid input: which field, and what is wrong with it. */
  errors?: Array<{ field: string; message: string }>;
  /** With `rate-limited`: when to try again (also the `Retry-After` header). */
  retryAfterSeconds?: number;
}

export type ProblemType =
  | 'urn:chat:problem:validation'
  | 'urn:chat:problem:unauthorized'
  | 'urn:chat:problem:forbidden'
  | 'urn:chat:problem:not-found'
  | 'urn:chat:problem:method-not-allowed'
  | 'urn:chat:problem:not-acceptable'
  | 'urn:chat:problem:conflict'
  | 'urn:chat:problem:too-large'
  | 'urn:chat:problem:unsupported-media-type'
  | 'urn:chat:problem:rate-limited'
  | 'urn:chat:problem:unavailable'
  | 'urn:chat:problem:internal'
  | (string & {});

/** A request the API answered with a problem (or with something that is not JSON). */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
  get type(): ProblemType {
    return this.problem.type;
  }
}

export type Visibility = 'public' | 'private';
export type Role = 'owner' | 'member';

export interface Room {
  id: RoomId;
  name: string;
  description: string | null;
  visibility: Visibility;
  ownerId: UserId | null;
  memberCount: number;
  createdAt: Instant;
  /** The caller's role, or null when not a member. */
  role: Role | null;
  /** Whether the caller is invited (a private room they may join). */
  invited: boolean;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export interface Member {
  userId: UserId;
  role: Role;
  joinedAt: Instant;
}

export interface Invitation {
  roomId: RoomId;
  userId: UserId;
  invitedBy: UserId;
  invitedAt: Instant;
}

/** A message in its current state; the same fields as a `message` frame. */
export type Message = Omit<MessageFrame, 'type'>;

export interface MessagesPage {
  /** Newest first when reading backwards (`beforeSeq` or neither), oldest first with `afterSeq`. */
  messages: Message[];
  /** The room's last seq (of any entry: a message, an edit or a delete). */
  lastSeq: number;
  /** Whether more lie beyond the page in the direction read. */
  hasMore: boolean;
}

export interface EventsPage {
  /** Every entry after `afterSeq`, in seq order, without gaps: what recovery replays. */
  events: Message[];
  lastSeq: number;
  hasMore: boolean;
}

export interface SendAccepted {
  roomId: RoomId;
  clientMsgId: ClientMsgId;
}

export interface ChangeAccepted {
  roomId: RoomId;
  messageId: string;
}

export interface RoomPresence {
  roomId: RoomId;
  users: Array<{ userId: UserId; username: string; since: Instant }>;
}

export interface User {
  id: UserId;
  username: string;
  email: string | null;
  displayName: string;
  createdAt: Instant;
}

export interface PublicUser {
  id: UserId;
  username: string;
  displayName: string;
}

/** Keycloak's OAuth 2.0 token response, as `POST /api/auth/token` and `/refresh` return it. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  token_type: string;
  [other: string]: unknown;
}

export interface ChatRestOptions {
  /** Where the API is: `https://chat.example.com` (the paths start with `/api`). Default: the page's own origin (''). */
  baseUrl?: string;
  /**
   * The access token for a request; asked again with `{ fresh: true }` after a 401, and the
   * request is repeated once with the new token. Not needed for the `/api/auth/*` calls.
   */
  token?: (request: { fresh: boolean }) => string | Promise<string>;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | undefined>;

/** The REST API, one method per endpoint. */
export class ChatRest {
  readonly #baseUrl: string;
  readonly #token: ChatRestOptions['token'];
  readonly #fetch: typeof fetch;

  constructor(options: ChatRestOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.#token = options.token;
    const f = options.fetch ?? globalThis.fetch;
    if (!f) throw new TypeError('ChatRest: no global fetch: pass options.fetch');
    this.#fetch = f.bind(globalThis);
  }

  // Accounts (no token needed)

  register(body: { username: string; password: string; email?: string; displayName?: string }): Promise<User> {
    return this.#request('POST', '/api/auth/register', { body, anonymous: true });
  }

  login(body: { username: string; password: string }): Promise<TokenResponse> {
    return this.#request('POST', '/api/auth/token', { body, anonymous: true });
  }

  refresh(refreshToken: string): Promise<TokenResponse> {
    return this.#request('POST', '/api/auth/refresh', { body: { refresh_token: refreshToken }, anonymous: true });
  }

  /** Ends the session; its sockets close with 4403. */
  logout(refreshToken: string): Promise<void> {
    return this.#request('POST', '/api/auth/logout', { body: { refresh_token: refreshToken }, anonymous: true });
  }

  me(): Promise<User> {
    return this.#request('GET', '/api/users/me');
  }

  user(userId: UserId): Promise<PublicUser> {
    return this.#request('GET', `/api/users/${seg(userId)}`);
  }

  // Rooms and membership

  /** Public rooms and the caller's private ones; `mine` only the caller's; `q` searches names. */
  listRooms(query: { q?: string; mine?: boolean; limit?: number; cursor?: string } = {}): Promise<Page<Room>> {
    return this.#request('GET', '/api/rooms', { query });
  }

  createRoom(body: { name: string; visibility: Visibility; description?: string }): Promise<Room> {
    return this.#request('POST', '/api/rooms', { body });
  }

  room(roomId: RoomId): Promise<Room> {
    return this.#request('GET', `/api/rooms/${seg(roomId)}`);
  }

  /** Joins a public room, or a private one the caller is invited to; joining twice is joining once. */
  join(roomId: RoomId): Promise<Room> {
    return this.#request('POST', `/api/rooms/${seg(roomId)}/join`);
  }

  leave(roomId: RoomId): Promise<void> {
    return this.#request('POST', `/api/rooms/${seg(roomId)}/leave`);
  }

  /** Invites a user (the room's owner or an admin); inviting twice answers the first invitation. */
  invite(roomId: RoomId, userId: UserId): Promise<Invitation> {
    return this.#request('POST', `/api/rooms/${seg(roomId)}/invites`, { body: { userId } });
  }

  members(roomId: RoomId, query: { limit?: number; cursor?: string } = {}): Promise<Page<Member>> {
    return this.#request('GET', `/api/rooms/${seg(roomId)}/members`, { query });
  }

  // Messages

  /** History, each message as it stands now: newest page first; page back with `beforeSeq` = the oldest seq shown. */
  messages(roomId: RoomId, query: { beforeSeq?: number; afterSeq?: number; limit?: number } = {}): Promise<MessagesPage> {
    return this.#request('GET', `/api/rooms/${seg(roomId)}/messages`, { query });
  }

  /** Every sequence entry after a seq (new, edited, deleted), oldest first; ask again while `hasMore`. */
  events(roomId: RoomId, query: { afterSeq?: number; limit?: number } = {}): Promise<EventsPage> {
    return this.#request('GET', `/api/rooms/${seg(roomId)}/events`, { query });
  }

  /** Sends without a socket (202 once Kafka has it); a retry with the same clientMsgId is stored once. */
  sendMessage(roomId: RoomId, body: { clientMsgId: ClientMsgId; body: string }): Promise<SendAccepted> {
    return this.#request('POST', `/api/rooms/${seg(roomId)}/messages`, { body });
  }

  /** Edits a message (its sender only); the edit arrives as a `message` frame with `editedAt`. */
  editMessage(roomId: RoomId, messageId: string, body: string): Promise<ChangeAccepted> {
    return this.#request('PATCH', `/api/rooms/${seg(roomId)}/messages/${seg(messageId)}`, { body: { body } });
  }

  /** Deletes a message (its sender or the room's owner); arrives as a `message` frame with `deleted: true`. */
  deleteMessage(roomId: RoomId, messageId: string): Promise<ChangeAccepted> {
    return this.#request('DELETE', `/api/rooms/${seg(roomId)}/messages/${seg(messageId)}`);
  }

  // Presence

  /** Who is online in the room (members only). */
  presence(roomId: RoomId): Promise<RoomPresence> {
    return this.#request('GET', `/api/rooms/${seg(roomId)}/presence`);
  }

  async #request<T>(
    method: string,
    path: string,
    options: { body?: unknown; query?: Query; anonymous?: boolean } = {},
  ): Promise<T> {
    const url = this.#baseUrl + path + queryString(options.query);
    const send = async (fresh: boolean): Promise<Response> => {
      const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (!options.anonymous && this.#token) headers['Authorization'] = `Bearer ${await this.#token({ fresh })}`;
      const init: RequestInit = { method, headers };
      if (options.body !== undefined) init.body = JSON.stringify(options.body);
      return this.#fetch(url, init);
    };
    let response = await send(false);
    if (response.status === 401 && !options.anonymous && this.#token) response = await send(true);
    if (!response.ok) throw new ProblemError(await problemOf(response, path));
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text.length === 0 ? undefined : JSON.parse(text)) as T;
  }
}

function seg(value: string): string {
  return encodeURIComponent(value);
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text.length === 0 ? '' : `?${text}`;
}

/** The problem a failed response carries; one made up from the status when the body is not one (a proxy's page). */
async function problemOf(response: Response, path: string): Promise<Problem> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const problem: Problem =
    typeof body === 'object' && body !== null && typeof (body as { type?: unknown }).type === 'string'
      ? { ...(body as Problem), status: (body as { status?: number }).status ?? response.status }
      : { type: 'about:blank', title: response.statusText, status: response.status, instance: path };
  if (problem.retryAfterSeconds === undefined) {
    const retryAfter = Number(response.headers.get('Retry-After'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) problem.retryAfterSeconds = retryAfter;
  }
  return problem;
}
