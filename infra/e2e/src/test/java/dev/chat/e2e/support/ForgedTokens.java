package dev.chat.e2e.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Attacks on a real Keycloak access token, each of which a service must refuse: the genuine
 * token's claims re-signed or re-encoded in the ways attackers try.
 */
public final class ForgedTokens {

	private ForgedTokens() {
	}

	/** Variant name to forged token, all derived from {@code genuine}. */
	public static Map<String, String> of(String genuine, String issuerUri) throws Exception {
		String[] parts = genuine.split("\\.");
		JWTClaimsSet claims = SignedJWT.parse(genuine).getJWTClaimsSet();
		String kid = SignedJWT.parse(genuine).getHeader().getKeyID();
		RSAKey realmKey = realmKey(issuerUri, kid);
		RSAKey attackerKey = attackerKey(kid);

		Map<String, String> forged = new LinkedHashMap<>();
		forged.put("garbage", "not-a-token");
		forged.put("stripped signature", parts[0] + "." + parts[1] + ".");
		forged.put("altered signature", parts[0] + "." + parts[1] + "." + flip(parts[2]));
		forged.put("altered payload", parts[0] + "." + encode(new String(Base64.getUrlDecoder().decode(parts[1]),
				StandardCharsets.UTF_8).replace("\"alice\"", "\"carol\"").replace("\"user\"", "\"admin\"")) + "."
				+ parts[2]);
		forged.put("alg none", encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");
		SignedJWT hs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
		hs256.sign(new MACSigner(pem(realmKey.toRSAPublicKey()).getBytes(StandardCharsets.US_ASCII)));
		forged.put("HS256 signed with the public key", hs256.serialize());
		forged.put("embedded jwk", sign(attackerKey,
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwk(attackerKey.toPublicJWK()), claims));
		forged.put("jku to another key set", sign(attackerKey,
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwkURL(URI.create("http://127.0.0.1:1/jwks")),
				claims));
		forged.put("x5c of another key", sign(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
			.x509CertChain(java.util.List.of(com.nimbusds.jose.util.Base64.encode("not a certificate"))), claims));
		forged.put("unknown kid", sign(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown"), claims));
		forged.put("another key, same kid", sign(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid),
				claims));
		return forged;
	}

	private static String sign(RSAKey key, JWSHeader.Builder header, JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(header.type(JOSEObjectType.JWT).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static RSAKey realmKey(String issuerUri, String kid) throws Exception {
		HttpResponse<String> certs = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(issuerUri + "/protocol/openid-connect/certs")).build(),
					HttpResponse.BodyHandlers.ofString());
		return JWKSet.parse(certs.body()).getKeyByKeyId(kid).toRSAKey();
	}

	private static RSAKey attackerKey(String kid) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		var pair = generator.generateKeyPair();
		return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
			.keyID(kid)
			.build();
	}

	private static String pem(RSAPublicKey key) {
		return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	private static String encode(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private static String flip(String signature) {
		char last = signature.charAt(signature.length() / 2);
		return signature.substring(0, signature.length() / 2) + (last == 'A' ? 'B' : 'A')
				+ signature.substring(signature.length() / 2 + 1);
	}

}
