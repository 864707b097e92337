/**
 * Sign-in with Keycloak: OpenID Connect authorization code flow with PKCE (S256), `state` and
 * `nonce` checked, the code exchanged at the token endpoint by fetch (a public client: no
 * secret). The access token lives in memory only; the refresh token (and the id token, needed as
 * the logout hint) in localStorage, so a reload or a second tab keeps the session without a new
 * login. Logout removes them, which every other tab sees as a `storage` event.
 */
import type { TokenRequest } from '@chat/client';

interface Config {
  issuer: string;
  clientId: string;
}

interface Endpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

interface Stored {
  refreshToken: string;
  idToken: string;
}

interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
}

const SESSION_KEY = 'chat.session';
const LOGIN_KEY = 'chat.login';
/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_MS = 30_000;

/** The token endpoint said the refresh token is no good: the session is over. */
class SessionEnded extends Error {}

export class Session extends EventTarget {
  #accessToken = '';
  #expiresAt = 0;
  #refreshing: Promise<string> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;

  private constructor(
    readonly config: Config,
    readonly endpoints: Endpoints,
  ) {
    super();
    // Another tab logged out (or its refresh found the session ended): follow it.
    window.addEventListener('storage', (event) => {
      if (event.key === SESSION_KEY && event.newValue === null) this.#end();
    });
  }

  /**
   * Finishes a login redirect (`?code=&state=`) or resumes the stored session. Resolves with a
   * signed-in session, or with `{ signedOut }` (and a reason when a login failed).
   */
  static async start(): Promise<{ session: Session } | { signedOut: SignedOut }> {
    const config = await loadConfig();
    const endpoints = await discover(config.issuer);
    const session = new Session(config, endpoints);
    const params = new URLSearchParams(location.search);
    if (params.has('state') && (params.has('code') || params.has('error'))) {
      try {
        await session.#finishLogin(params);
        return { session };
      } catch (error) {
        return { signedOut: new SignedOut(config, endpoints, error instanceof Error ? error.message : 'Sign-in failed') };
      }
    }
    if (readStored()) {
      try {
        await session.#refresh();
        return { session };
      } catch (error) {
        if (error instanceof SessionEnded) return { signedOut: new SignedOut(config, endpoints) };
        // Offline or Keycloak down: keep the session, the app retries through the token provider.
        return { session };
      }
    }
    return { signedOut: new SignedOut(config, endpoints) };
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The token provider of ChatClient and ChatRest. */
  readonly token = async ({ fresh }: TokenRequest): Promise<string> => {
    if (this.#ended) throw new Error('signed out');
    if (!fresh && this.#accessToken && this.#expiresAt - Date.now() > 5_000) return this.#accessToken;
    return this.#refresh();
  };

  /** Ends the session here, in every other tab (storage event) and at Keycloak. */
  logout(): void {
    const stored = readStored();
    localStorage.removeItem(SESSION_KEY);
    this.#end();
    const endSession = this.endpoints.end_session_endpoint;
    if (!endSession) {
      location.assign(redirectUri());
      return;
    }
    const url = new URL(endSession);
    if (stored?.idToken) url.searchParams.set('id_token_hint', stored.idToken);
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('post_logout_redirect_uri', redirectUri());
    location.assign(url.toString());
  }

  /** Forgets the session here and in every other tab, without a trip to Keycloak (it already ended there). */
  forget(): void {
    localStorage.removeItem(SESSION_KEY);
    this.#end();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#accessToken = '';
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.dispatchEvent(new Event('ended'));
  }

  async #finishLogin(params: URLSearchParams): Promise<void> {
    const pending = JSON.parse(sessionStorage.getItem(LOGIN_KEY) ?? 'null') as PendingLogin | null;
    sessionStorage.removeItem(LOGIN_KEY);
    // The code must not stay in the address bar (or in history).
    history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? ''}`);
    if (!pending || params.get('state') !== pending.state) throw new Error('Sign-in failed: the state does not match');
    if (params.has('error')) throw new Error(`Sign-in failed: ${params.get('error_description') ?? params.get('error')}`);
    const iss = params.get('iss');
    if (iss !== null && iss !== this.config.issuer) throw new Error('Sign-in failed: unexpected issuer');
    const tokens = await this.#post({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: this.config.clientId,
      code_verifier: pending.verifier,
    });
    const claims = claimsOf(tokens.id_token ?? '');
    const aud = claims?.['aud'];
    if (!claims || claims['nonce'] !== pending.nonce) throw new Error('Sign-in failed: the nonce does not match');
    if (claims['iss'] !== this.config.issuer || !(aud === this.config.clientId || (Array.isArray(aud) && aud.includes(this.config.clientId)))) {
      throw new Error('Sign-in failed: the id token is not for this client');
    }
    this.#accept(tokens);
  }

  /** One refresh at a time; every caller waits for the same one. */
  #refresh(): Promise<string> {
    this.#refreshing ??= (async () => {
      try {
        // Read it again: another tab may have refreshed (and stored a newer one) since.
        const stored = readStored();
        if (!stored) throw new SessionEnded('signed out');
        const tokens = await this.#post({ grant_type: 'refresh_token', refresh_token: stored.refreshToken, client_id: this.config.clientId });
        this.#accept(tokens);
        return tokens.access_token;
      } catch (error) {
        if (error instanceof SessionEnded) {
          localStorage.removeItem(SESSION_KEY);
          this.#end();
        }
        throw error;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  #accept(tokens: TokenResponse): void {
    if (this.#ended) throw new SessionEnded('signed out');
    const previous = readStored();
    const stored: Stored = {
      refreshToken: tokens.refresh_token ?? previous?.refreshToken ?? '',
      idToken: tokens.id_token ?? previous?.idToken ?? '',
    };
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    this.#accessToken = tokens.access_token;
    this.#expiresAt = Date.now() + tokens.expires_in * 1000;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#refresh().catch(() => {
        // Offline: the next token request (a reconnect, a REST call) tries again.
      });
    }, Math.max(1_000, tokens.expires_in * 1000 - REFRESH_AHEAD_MS));
  }

  async #post(form: Record<string, string>): Promise<TokenResponse> {
    const response = await fetch(this.endpoints.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    if (response.status === 400 || response.status === 401) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      if (body.error === 'invalid_grant' || form['grant_type'] === 'refresh_token') throw new SessionEnded(body.error ?? 'invalid_grant');
      throw new Error(`Sign-in failed: ${body.error ?? response.status}`);
    }
    if (!response.ok) throw new Error(`The token endpoint answered ${response.status}`);
    return (await response.json()) as TokenResponse;
  }
}

/** Not signed in: can start a login. */
export class SignedOut {
  constructor(
    readonly config: Config,
    readonly endpoints: Endpoints,
    readonly reason?: string,
  ) {}

  /** Redirects to Keycloak's login page; comes back to `returnTo` (a hash route). */
  async login(returnTo = location.hash): Promise<void> {
    const verifier = randomString(32);
    const pending: PendingLogin = { state: randomString(16), nonce: randomString(16), verifier, returnTo };
    sessionStorage.setItem(LOGIN_KEY, JSON.stringify(pending));
    const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    const url = new URL(this.endpoints.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: redirectUri(),
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    location.assign(url.toString());
  }
}

/** A session appeared in another tab (it signed in): the caller may reload to pick it up. */
export function onSignedInElsewhere(listener: () => void): void {
  window.addEventListener('storage', (event) => {
    if (event.key === SESSION_KEY && event.newValue !== null && event.oldValue === null) listener();
  });
}

async function loadConfig(): Promise<Config> {
  const response = await fetch('/api/config', { headers: { Accept: 'application/json' } });
  if (response.ok) return (await response.json()) as Config;
  // DEV ONLY: the Vite dev server in front of a gateway that has no /api/config yet. A built
  // bundle never guesses its issuer.
  if (import.meta.env.DEV && response.status === 404) return { issuer: 'http://localhost:8180/realms/chat', clientId: 'chat-web' };
  throw new Error(`GET /api/config answered ${response.status}`);
}

async function discover(issuer: string): Promise<Endpoints> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`The identity provider's discovery document answered ${response.status}`);
  return (await response.json()) as Endpoints;
}

function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

function readStored(): Stored | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Stored | null;
    return stored?.refreshToken ? stored : undefined;
  } catch {
    return undefined;
  }
}

function randomString(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A JWT's claims, unverified: the id token came straight from the token endpoint over fetch. */
export function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
