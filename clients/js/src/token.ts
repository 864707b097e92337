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

/** The claims of a JWT's payload, or undefined for a token that is not a readable JWT (never verified: the server does that). */
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

/** When a JWT expires (epoch ms), if it says. */
export function expiryOf(token: string): number | undefined {
  const exp = claimsOf(token)?.['exp'];
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/** A JWT's subject: the user id the server will see as `senderId`. */
export function subjectOf(token: string): string | undefined {
  const sub = claimsOf(token)?.['sub'];
  return typeof sub === 'string' ? sub : undefined;
}
