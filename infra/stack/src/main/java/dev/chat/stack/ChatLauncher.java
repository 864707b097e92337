package dev.chat.stack;

import java.time.Duration;
import java.time.Instant;

/**
 * The command behind {@code ./chat}: {@code up}, {@code down} and {@code status} of the local
 * stack. Exit status 0 on success, 1 when a component failed, 2 on a usage error.
 */
public final class ChatLauncher {

	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			usage();
			return;
		}
		Stack stack = new Stack(StackConfig.fromEnvironment(StackConfig.findRoot()), System.out);
		switch (args[0]) {
			case "up" -> up(stack);
			case "down" -> {
				stack.down();
				System.out.println("stack stopped");
			}
			case "status" -> stack.status().forEach(System.out::println);
			default -> usage();
		}
	}

	private static void up(Stack stack) throws Exception {
		Instant begin = Instant.now();
		System.out.println("starting the chat stack (logs in " + stack.config().logDir() + ")");
		try {
			stack.up();
		}
		catch (Stack.StackException ex) {
			System.err.println();
			System.err.println("FAILED: " + ex.getMessage());
			if (!ex.logTail().isEmpty()) {
				System.err.println("--- last lines of " + ex.component().logFile() + " ---");
				System.err.println(ex.logTail());
			}
			System.err.println("nothing this run started was left running");
			System.exit(1);
		}
		System.out.printf("%nthe chat stack is up (%.1f s)%n",
				Duration.between(begin, Instant.now()).toMillis() / 1000.0);
		stack.components().forEach(c -> System.out.println("  " + c.endpoint()));
		System.out.println("""

				  public entry point: http://localhost:%d/api/** and ws://localhost:%d/ws
				  demo users (password = name + "-pass"): alice, bob, carol
				  a token: curl -s -H 'Content-Type: application/json' \\
				           -d '{"username":"alice","password":"alice-pass"}' http://localhost:%d/api/auth/token""".formatted(stack.config().ports().gateway(),
				stack.config().ports().gateway(), stack.config().ports().gateway()));
	}

	private static void usage() {
		System.err.println("usage: chat up | down | status | logs SERVICE");
		System.exit(2);
	}

	private ChatLauncher() {
	}

}
