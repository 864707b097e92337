package dev.chat.test.tokens;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * A stand-in for the Keycloak {@code chat} realm in tests: an RSA key pair, a JWK set served on
 * loopback ({@link #jwkSetUri()}), and access tokens shaped like Keycloak's, valid ones and each
 * {@link BadToken bad variant} a resource server must refuse.
 *
 * <p>
 * Services under test are pointed at {@link #issuerUri()} and {@link #jwkSetUri()}; they fetch
 * the keys over HTTP as they would from Keycloak, so the whole decoding path runs for real.
 * Needs no Spring: common's own security tests use it as well as the services'.
 */
public final class TokenMinter implements AutoCloseable {

	/** The audience every access token of the platform carries. */
	public static final String AUDIENCE = "chat-api";

	/** The lifetime Keycloak gives access tokens in the {@code chat} realm. */
	public static final Duration LIFETIME = Duration.ofMinutes(5);

	private static final String KID = "chat-test-key";

	private static TokenMinter shared;

	private final RSAKey realmKey;

	/** Another key published under the realm key's kid: what a forger would sign with. */
	private final RSAKey attackerKey;

	private final JwksServer server;

	private TokenMinter() {
		realmKey = newKey();
		attackerKey = newKey();
		server = new JwksServer(new JWKSet(realmKey), new JWKSet(attackerKey));
	}

	/** A minter of its own, with fresh keys and its own port; close it when done. */
	public static TokenMinter start() {
		return new TokenMinter();
	}

	/**
	 * The minter every test of this JVM shares, started on first use and closed when the JVM
	 * exits. Sharing it lets cached Spring contexts, all pointed at one issuer, be reused.
	 */
	public static synchronized TokenMinter shared() {
		if (shared == null) {
			TokenMinter minter = new TokenMinter();
			Runtime.getRuntime().addShutdownHook(new Thread(minter::close, "token-minter-stop"));
			shared = minter;
		}
		return shared;
	}

	/** The realm's issuer, exactly as in the tokens' {@code iss}. */
	public URI issuerUri() {
		return server.issuer();
	}

	/** Where the realm's public keys are served, at Keycloak's path under the issuer. */
	public URI jwkSetUri() {
		return server.uri(JwksServer.CERTS_PATH);
	}

	/** How often the attacker's JWK set (the {@link BadToken#EMBEDDED_JKU} target) was fetched. */
	public int attackerKeyFetches() {
		return server.attackerFetches();
	}

	/** Keycloak's {@code sub} for a user: stable per username, so tests can predict ids. */
	public static String subjectOf(String username) {
		return UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString();
	}

	/** The claims of a valid token for {@code username}, issued now, to change before {@link #mint}. */
	public TokenSpec spec(String username, String... roles) {
		Instant now = Instant.now();
		return new TokenSpec(subjectOf(username), username, List.of(roles), issuerUri().toString(),
				List.of(AUDIENCE), now, now.plus(LIFETIME), null);
	}

	/** A valid access token for {@code username} with the given realm roles. */
	public String token(String username, String... roles) {
		return mint(spec(username, roles));
	}

	/** Signs {@code spec} with the realm key, as Keycloak would. */
	public String mint(TokenSpec spec) {
		return sign(rs256Header(realmKey).build(), claims(spec), realmKey);
	}

	/** A token that must be refused for the reason its {@link BadToken} names. */
	public String mint(BadToken bad) {
		TokenSpec valid = spec("mallory", "user");
		Instant now = Instant.now();
		return switch (bad) {
			case ALG_NONE -> new PlainJWT(claims(valid)).serialize();
			case STRIPPED_SIGNATURE -> {
				String token = mint(valid);
				yield token.substring(0, token.lastIndexOf('.') + 1);
			}
			case ALTERED_PAYLOAD -> {
				String[] parts = mint(valid).split("\\.");
				String forged = claims(valid.withRoles("user", "admin")).toPayload().toBase64URL().toString();
				yield parts[0] + "." + forged + "." + parts[2];
			}
			case HS256_WITH_PUBLIC_KEY -> hs256WithPublicKey(valid);
			case EMBEDDED_JWK -> sign(rs256Header(attackerKey).jwk(attackerKey.toPublicJWK()).build(), claims(valid),
					attackerKey);
			case EMBEDDED_JKU -> sign(rs256Header(attackerKey).jwkURL(server.uri(JwksServer.ATTACKER_CERTS_PATH)).build(),
					claims(valid), attackerKey);
			case EMBEDDED_X5C -> sign(rs256Header(attackerKey).x509CertChain(List.of(attackerCertificate())).build(),
					claims(valid), attackerKey);
			case UNKNOWN_KID -> sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
				.keyID("no-such-key")
				.build(), claims(valid), realmKey);
			case FOREIGN_KEY -> sign(rs256Header(attackerKey).build(), claims(valid), attackerKey);
			case WRONG_ISSUER -> mint(valid.withIssuer(server.uri("/realms/other").toString()));
			case MISSING_ISSUER -> mint(valid.withIssuer(null));
			case WRONG_AUDIENCE -> mint(valid.withAudience(List.of("other-api")));
			case MISSING_AUDIENCE -> mint(valid.withAudience(null));
			case EXPIRED -> mint(valid.shiftedBy(LIFETIME.plusMinutes(10).negated()));
			case MISSING_EXP -> mint(valid.withExpiresAt(null));
			case NOT_YET_VALID -> mint(valid.withNotBefore(now.plus(Duration.ofMinutes(10))));
			case GARBAGE -> "garbage-" + UUID.randomUUID();
		};
	}

	@Override
	public void close() {
		server.close();
	}

	private static JWSHeader.Builder rs256Header(RSAKey key) {
		return new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.getKeyID());
	}

	private static JWTClaimsSet claims(TokenSpec spec) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
			.subject(spec.subject())
			.issuer(spec.issuer())
			.audience(spec.audience())
			.issueTime(date(spec.issuedAt()))
			.expirationTime(date(spec.expiresAt()))
			.notBeforeTime(date(spec.notBefore()))
			.claim("typ", "Bearer")
			.claim("azp", "chat-web")
			.claim("preferred_username", spec.username())
			.claim("realm_access", Map.of("roles", spec.roles()));
		return claims.build();
	}

	private static Date date(Instant instant) {
		return instant == null ? null : Date.from(instant);
	}

	private static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) {
		try {
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign a test token", ex);
		}
	}

	/** The classic key-confusion forgery: the public key's PEM text used as an HMAC secret. */
	private String hs256WithPublicKey(TokenSpec spec) {
		try {
			String pem = "-----BEGIN PUBLIC KEY-----\n"
					+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
						.encodeToString(realmKey.toPublicKey().getEncoded())
					+ "\n-----END PUBLIC KEY-----\n";
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(KID).build(),
					claims(spec));
			jwt.sign(new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign a test token", ex);
		}
	}

	/** x5c holds standard Base64 (not base64url) DER, per RFC 7515. */
	private com.nimbusds.jose.util.Base64 attackerCertificate() {
		try {
			KeyPair pair = attackerKey.toKeyPair();
			return com.nimbusds.jose.util.Base64
				.encode(SelfSignedCertificate.create(pair, "chat-test-attacker").getEncoded());
		}
		catch (JOSEException | CertificateEncodingException ex) {
			throw new IllegalStateException("cannot make the attacker's certificate", ex);
		}
	}

	private static RSAKey newKey() {
		try {
			return new RSAKeyGenerator(2048).keyID(KID).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot generate an RSA key", ex);
		}
	}

}
