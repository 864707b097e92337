package dev.chat.test.tokens;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The minter's own promises: its tokens verify against the keys it serves and look like
 * Keycloak's, and its forgeries really are what their names say (otherwise a security test
 * that "rejects" them would prove nothing).
 */
class TokenMinterTests {

	private static TokenMinter minter;

	private static RSAKey servedKey;

	@BeforeAll
	static void start() throws Exception {
		minter = TokenMinter.start();
		HttpResponse<String> jwks = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(minter.jwkSetUri()).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(jwks.statusCode()).isEqualTo(200);
		JWKSet keys = JWKSet.parse(jwks.body());
		assertThat(keys.getKeys()).hasSize(1);
		assertThat(keys.getKeys().getFirst().isPrivate()).as("only public keys are served").isFalse();
		servedKey = keys.getKeys().getFirst().toRSAKey();
	}

	@AfterAll
	static void stop() {
		minter.close();
	}

	@Test
	void validTokenVerifiesWithTheServedKeyAndCarriesKeycloakClaims() throws Exception {
		SignedJWT jwt = SignedJWT.parse(minter.token("alice", "user", "admin"));

		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo(servedKey.getKeyID());
		assertThat(jwt.verify(new RSASSAVerifier(servedKey))).isTrue();
		var claims = jwt.getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo(TokenMinter.subjectOf("alice"));
		assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
		assertThat(claims.getJSONObjectClaim("realm_access")).isEqualTo(Map.of("roles", List.of("user", "admin")));
		assertThat(claims.getAudience()).containsExactly(TokenMinter.AUDIENCE);
		assertThat(claims.getIssuer()).isEqualTo(minter.issuerUri().toString());
		assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
	}

	@Test
	void forgeriesAreSignedByAnotherKeyUnderTheRealmKid() throws Exception {
		for (BadToken bad : List.of(BadToken.FOREIGN_KEY, BadToken.EMBEDDED_JWK, BadToken.EMBEDDED_JKU,
				BadToken.EMBEDDED_X5C)) {
			SignedJWT jwt = SignedJWT.parse(minter.mint(bad));
			assertThat(jwt.getHeader().getKeyID()).as(bad.name()).isEqualTo(servedKey.getKeyID());
			assertThat(jwt.verify(new RSASSAVerifier(servedKey))).as(bad.name()).isFalse();
		}
	}

	@Test
	void embeddedKeysVerifyTheirOwnToken() throws Exception {
		SignedJWT jwk = SignedJWT.parse(minter.mint(BadToken.EMBEDDED_JWK));
		assertThat(jwk.verify(new RSASSAVerifier(jwk.getHeader().getJWK().toRSAKey()))).isTrue();

		SignedJWT x5c = SignedJWT.parse(minter.mint(BadToken.EMBEDDED_X5C));
		RSAKey certified = RSAKey.parse(com.nimbusds.jose.util.X509CertUtils
			.parse(x5c.getHeader().getX509CertChain().getFirst().decode()));
		assertThat(x5c.verify(new RSASSAVerifier(certified))).isTrue();

		SignedJWT jku = SignedJWT.parse(minter.mint(BadToken.EMBEDDED_JKU));
		String published = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(jku.getHeader().getJWKURL()).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(jku.verify(new RSASSAVerifier(JWKSet.parse(published).getKeys().getFirst().toRSAKey()))).isTrue();
		assertThat(minter.attackerKeyFetches()).isEqualTo(1);
	}

	@Test
	void alteredPayloadKeepsTheOriginalSignature() throws Exception {
		SignedJWT jwt = SignedJWT.parse(minter.mint(BadToken.ALTERED_PAYLOAD));
		assertThat(jwt.getJWTClaimsSet().getJSONObjectClaim("realm_access").get("roles")).asList().contains("admin");
		assertThat(jwt.verify(new RSASSAVerifier(servedKey))).isFalse();
	}

}
