package dev.chat.test.tokens;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A minimal self-signed X.509 v3 certificate for an RSA key pair, DER-encoded by hand: the JDK
 * can parse certificates but has no public API to make one, and the {@code x5c} variant of
 * {@link BadToken} needs a real, parseable certificate so that a decoder trusting the header
 * would really find a key in it.
 */
final class SelfSignedCertificate {

	private static final byte[] SHA256_WITH_RSA = { 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
			0x01, 0x0b };

	private static final byte[] COMMON_NAME = { 0x55, 0x04, 0x03 };

	private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

	static X509Certificate create(KeyPair keys, String commonName) {
		try {
			ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
			byte[] algorithm = sequence(tlv(0x06, SHA256_WITH_RSA), tlv(0x05, new byte[0]));
			byte[] name = sequence(tlv(0x31, sequence(tlv(0x06, COMMON_NAME),
					tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
			byte[] validity = sequence(utcTime(now.minusDays(1)), utcTime(now.plusDays(1)));
			byte[] tbs = sequence(tlv(0xa0, tlv(0x02, new byte[] { 2 })), tlv(0x02, new byte[] { 1 }), algorithm,
					name, validity, name, keys.getPublic().getEncoded());
			Signature signer = Signature.getInstance("SHA256withRSA");
			signer.initSign(keys.getPrivate());
			signer.update(tbs);
			byte[] signature = signer.sign();
			byte[] bitString = new byte[signature.length + 1];
			System.arraycopy(signature, 0, bitString, 1, signature.length);
			byte[] der = sequence(tbs, algorithm, tlv(0x03, bitString));
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot create a self-signed certificate", ex);
		}
	}

	private static byte[] utcTime(ZonedDateTime time) {
		return tlv(0x17, UTC_TIME.format(time).getBytes(StandardCharsets.US_ASCII));
	}

	private static byte[] sequence(byte[]... parts) {
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			content.writeBytes(part);
		}
		return tlv(0x30, content.toByteArray());
	}

	/** One DER element: tag, definite length (short or long form), content. */
	private static byte[] tlv(int tag, byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(tag);
		int length = content.length;
		if (length < 0x80) {
			out.write(length);
		}
		else {
			int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
			out.write(0x80 | bytes);
			for (int i = bytes - 1; i >= 0; i--) {
				out.write(length >>> (8 * i));
			}
		}
		out.writeBytes(content);
		return out.toByteArray();
	}

	private SelfSignedCertificate() {
	}

}
