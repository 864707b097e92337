package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

	private void create() throws IOException, InterruptedException {
		Files.createDirectories(dir);
		Path ca = dir.resolve("ca.p12");
		Path csr = dir.resolve("server.csr");
		Path signed = dir.resolve("server-only.crt");
		for (Path stale : List.of(ca, csr, signed, serverKeyStore(), trustStore(), caCertificate())) {
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
