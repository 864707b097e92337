package dev.chat.test.tokens;

/**
 * The forged, tampered or out-of-policy tokens a resource server must refuse with 401. Each
 * names the mistake in a decoder that would let it through. Unless said otherwise the claims are
 * those of a valid token for the user {@code mallory}, so only the named defect can be the
 * reason for a refusal.
 */
public enum BadToken {

	/** {@code alg: none} and an empty signature: passes a decoder that takes the algorithm from the header. */
	ALG_NONE,

	/** A valid token with its signature cut off ({@code header.payload.}). */
	STRIPPED_SIGNATURE,

	/** A valid token whose payload was replaced (roles raised to admin) under the original signature. */
	ALTERED_PAYLOAD,

	/**
	 * HS256 with the issuer's RSA public key (PEM text) as the HMAC secret: passes a decoder that
	 * verifies with "the configured key" whatever the algorithm says.
	 */
	HS256_WITH_PUBLIC_KEY,

	/** Signed by an attacker's key that the header carries as {@code jwk}, under the realm's kid. */
	EMBEDDED_JWK,

	/**
	 * Signed by an attacker's key published at the {@code jku} URL the header names (served by the
	 * minter, so a decoder that follows it really finds the key).
	 */
	EMBEDDED_JKU,

	/** Signed by an attacker's key whose self-signed certificate the header carries as {@code x5c}. */
	EMBEDDED_X5C,

	/** Signed by the realm key but naming a kid the JWK set does not have. */
	UNKNOWN_KID,

	/** Signed by another RSA key under the realm key's kid. */
	FOREIGN_KEY,

	/** Issued by another realm. */
	WRONG_ISSUER,

	/** No {@code iss} claim. */
	MISSING_ISSUER,

	/** Meant for another API. */
	WRONG_AUDIENCE,

	/** No {@code aud} claim. */
	MISSING_AUDIENCE,

	/** Expired ten minutes ago, well beyond any clock skew. */
	EXPIRED,

	/** No {@code exp} claim: a token that would never expire. */
	MISSING_EXP,

	/** {@code nbf} ten minutes ahead, well beyond any clock skew. */
	NOT_YET_VALID,

	/** Not a JWT at all. */
	GARBAGE

}
