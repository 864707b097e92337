package dev.chat.e2e.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web client in a real browser: {@code clients/web/e2e/browser.test.mjs} (playwright-core
 * driving Debian's headless Chromium, axe-core for accessibility) against the test stack's public
 * entry, through the Keycloak login page. Its assertions are the node test runner's; this test
 * gives it the stack and fails with its output when any of them fails.
 *
 * <p>
 * {@code -Dchat.screenshots=docs/img} saves the README's screenshots from the run.
 */
@ExtendWith(TestStackExtension.class)
class WebClientBrowserIntegrationTests {

	@Test
	void aliceAndBobChatInTwoBrowsersAndThePageIsAccessibleOnAPhone(Stack stack) throws Exception {
		Path root = stack.config().root();
		assertThat(Path.of("/usr/bin/chromium")).as("Debian's Chromium (infra/bin/packages.sh chromium)").isExecutable();
		Path log = Files.createTempFile("web-e2e", ".log");
		ProcessBuilder npm = new ProcessBuilder("npm", "run", "--silent", "e2e").directory(root.resolve("clients/web").toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = npm.environment();
		env.put("CHAT_BASE_URL", "http://localhost:" + stack.config().ports().entry());
		String screenshots = System.getProperty("chat.screenshots");
		if (screenshots != null) {
			env.put("CHAT_SCREENSHOTS", root.resolve(screenshots).toString());
		}
		Process process = npm.start();
		boolean done = process.waitFor(5, TimeUnit.MINUTES);
		if (!done) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		String output = Files.readString(log);
		Files.delete(log);
		System.out.println(output);

		assertThat(done).as("the browser tests finished within 5 minutes: %s", output).isTrue();
		assertThat(process.exitValue()).as("the browser tests passed: %s", output).isZero();
		assertThat(output).as("the run measured the page").containsPattern("(?m)^WEB_METRICS \\{.*\"firstMessageMs\":\\d+");
	}

}
