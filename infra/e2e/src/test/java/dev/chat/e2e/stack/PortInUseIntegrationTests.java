package dev.chat.e2e.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.chat.stack.StackConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./chat up} while one of its ports is taken: it names the port, exits non-zero and
 * leaves nothing running. Runs the launcher's real entry point as its own process, as
 * {@code ./chat} does, on a third stack (ports +20,000, state under
 * {@code .local/port-test}) so that neither the developer's nor the test stack is touched.
 */
class PortInUseIntegrationTests {

	private static final int OFFSET = 20_000;

	@Test
	void upFailsNamingTheTakenPortAndLeavesNothingRunning() throws Exception {
		Path root = StackConfig.findRoot();
		Path state = root.resolve(".local/port-test");
		int takenPort = 8084 + OFFSET; // presence-service, started late: every earlier component must not stay up
		try (ServerSocket squatter = new ServerSocket(takenPort, 1, InetAddress.getLoopbackAddress())) {
			ProcessBuilder launcher = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
					"dev.chat.stack.ChatLauncher", "up")
				.directory(root.toFile())
				.redirectErrorStream(true);
			launcher.environment().put("CHAT_STATE_DIR", root.relativize(state).toString());
			launcher.environment().put("CHAT_PORT_OFFSET", String.valueOf(OFFSET));
			launcher.environment().remove("CHAT_STACK");
			Process up = launcher.start();
			up.getOutputStream().close();
			String output = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();

			assertThat(up.exitValue()).as(output).isEqualTo(1);
			assertThat(output).contains("port " + takenPort).contains("presence-service").contains("in use");
		}
		assertThat(livePids(state.resolve("run"))).as("processes left running").isEmpty();
		for (int port : List.of(9092, 9093, 27017, 8180, 8081, 8082, 8083)) {
			assertThat(isFree(port + OFFSET)).as("port " + (port + OFFSET) + " free").isTrue();
		}
	}

	private static List<Long> livePids(Path runDir) throws IOException {
		if (!Files.isDirectory(runDir)) {
			return List.of();
		}
		try (var files = Files.list(runDir)) {
			return files.map(file -> {
				try {
					return Long.parseLong(Files.readString(file).trim().split(" ")[0]);
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException taken) {
			return false;
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
