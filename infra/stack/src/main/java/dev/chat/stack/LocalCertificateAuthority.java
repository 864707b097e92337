package dev.chat.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority of this machine's own and a server certificate it signed for
 * {@code localhost} and {@code 127.0.0.1}, made once with the JDK's {@code keytool} (no other
 * tool, no network) and kept in {@code dir}: what a gateway node serves HTTPS and WSS with.
 * A client that trusts {@link #caCertificate()} alone accepts the gateway and nothing else.
 *
 * @param dir where the files are
 */
public record LocalCertificateAuthority(Path dir) {

	/** The password of both PKCS#12 stores: they guard a loopback-only test certificate. */
	public static final String PASSWORD = "chat-local-tls";

	/** The authority in {@code dir}, made first if it is not there yet. */
	public static LocalCertificateAuthority ensure(Path dir) throws IOException, InterruptedException {
		LocalCertificateAuthority authority = new LocalCertificateAuthority(dir);
		if (!Files.isRegularFile(authority.serverKeyStore())) {
			authority.create();
		}
		if (!Files.isRegularFile(authority.serverKeyPem())) {
			authority.exportPem();
		}
		return authority;
	}

	/** The authority's certificate (PEM): what clients trust. */
	public Path caCertificate() {
		return dir.resolve("ca.crt");
	}

	/** PKCS#12 with the server's key and its chain up to the authority, alias {@code server}. */
	public Path serverKeyStore() {
		return dir.resolve("server.p12");
	}

	/** PKCS#12 holding the authority's certificate alone, for Java clients. */
	public Path trustStore() {
		return dir.resolve("trust.p12");
	}

	/** The server's certificate chain (PEM), for servers that do not read PKCS#12, such as nginx. */
	public Path serverCertificatePem() {
		return dir.resolve("server.crt");
	}

	/** The server's private key (PKCS#8 PEM), readable by its owner only. */
	public Path serverKeyPem() {
		return dir.resolve("server.key");
	}

	/** A TLS context that trusts this authority and nothing else. */
	public SSLContext clientContext() throws IOException, GeneralSecurityException {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(trustStore())) {
			trust.load(in, PASSWORD.toCharArray());
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trustManagers.getTrustManagers(), null);
		return context;
	}

	/** The key and chain of {@link #serverKeyStore()} as PEM: keytool exports certificates only. */
	private void exportPem() throws IOException {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(serverKeyStore())) {
				store.load(in, PASSWORD.toCharArray());
			}
			StringBuilder chain = new StringBuilder();
			for (Certificate certificate : store.getCertificateChain("server")) {
				chain.append(pem("CERTIFICATE", certificate.getEncoded()));
			}
			Files.writeString(serverCertificatePem(), chain);
			Key key = store.getKey("server", PASSWORD.toCharArray());
			Path keyFile = serverKeyPem();
			Files.deleteIfExists(keyFile);
			Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("cannot read " + serverKeyStore() + ": " + ex.getMessage(), ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private void create() throws IOException, InterruptedException {
		Files.createDirectories(dir);
		Path ca = dir.resolve("ca.p12");
		Path csr = dir.resolve("server.csr");
		Path signed = dir.resolve("server-only.crt");
		for (Path stale : List.of(ca, csr, signed, serverKeyStore(), trustStore(), caCertificate(), serverCertificatePem(),
				serverKeyPem())) {
			Files.deleteIfExists(stale);
		}
		keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=chat local CA", "-ext", "bc:c", "-validity", "3650", "-keystore", ca.toString());
		keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caCertificate().toString());
		keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-validity", "825", "-keystore", serverKeyStore().toString());
		keytool("-certreq", "-alias", "server", "-keystore", serverKeyStore().toString(), "-file", csr.toString());
		keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(), "-outfile",
				signed.toString(), "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "KU=digitalSignature",
				"-ext", "EKU=serverAuth", "-validity", "825");
		keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate().toString(), "-keystore",
				serverKeyStore().toString());
		keytool("-importcert", "-alias", "server", "-file", signed.toString(), "-keystore", serverKeyStore().toString());
		keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate().toString(), "-keystore",
				trustStore().toString());
		Files.delete(csr);
		Files.delete(signed);
	}

	private static void keytool(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IOException("keytool " + args[0] + " failed: " + output);
		}
	}

}
