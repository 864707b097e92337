package dev.chat.load.scenario;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import dev.chat.load.Options;
import dev.chat.load.measure.ProcessStats;
import dev.chat.load.target.ChatTarget;
import dev.chat.load.tokens.BenchUsers;
import dev.chat.load.tokens.TokenPool;
import dev.chat.stack.StackConfig;

/**
 * What every scenario works with: the stack's addresses, the options, the users' tokens, a
 * REST client, where results and caches go ({@code <state dir>/bench}: {@code .local/bench} for
 * the developer's stack), and a run id that marks this run's message bodies.
 */
public final class BenchContext implements AutoCloseable {

	private final StackConfig config;

	private final Options options;

	private final PrintStream out;

	private final HttpClient http;

	private final TokenPool tokens;

	private final String runId = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);

	private BenchContext(StackConfig config, Options options, PrintStream out, HttpClient http, TokenPool tokens) {
		this.config = config;
		this.options = options;
		this.out = out;
		this.http = http;
		this.tokens = tokens;
	}

	/**
	 * Checks that the gateway answers, makes sure the bench users exist and have tokens.
	 *
	 * @throws GatewayDown when the gateway does not answer
	 */
	public static BenchContext open(StackConfig config, Options options, PrintStream out) {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.executor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("bench-http-", 0).factory()))
			.build();
		int gateway = config.ports().gateway();
		if (!Gateway.answers(http, gateway)) {
			throw new GatewayDown("the gateway does not answer on 127.0.0.1:" + gateway
					+ " (start the stack with ./chat up, or CHAT_STACK=test for the test stack)");
		}
		int users = options.integer("users");
		TokenPool tokens = new TokenPool(http, config.issuerUri(), benchDir(config).resolve("tokens.json"), users);
		List<Integer> missing = tokens.withoutUsableToken();
		if (!missing.isEmpty()) {
			int added = new BenchUsers(http, config.ports().keycloak()).ensure(missing);
			out.printf("bench users: %d created, %d logging in (4 at a time)%n", added, missing.size());
		}
		tokens.ready();
		return new BenchContext(config, options, out, http, tokens);
	}

	static Path benchDir(StackConfig config) {
		return config.stateDir().resolve("bench");
	}

	public Path benchDir() {
		return benchDir(config);
	}

	public StackConfig config() {
		return config;
	}

	public Options options() {
		return options;
	}

	public PrintStream out() {
		return out;
	}

	public String runId() {
		return runId;
	}

	public TokenPool tokens() {
		return tokens;
	}

	HttpClient http() {
		return http;
	}

	Gateway gateway() {
		return new Gateway(http, config.ports().gateway(), tokens);
	}

	RoomSetup rooms() {
		return new RoomSetup(gateway(), benchDir(), 4);
	}

	/** Our gateway as a target, on these ports. */
	ChatTarget chatTarget(List<Integer> ports) {
		return new ChatTarget(ports, tokens, options.integer("io-threads"));
	}

	/** The gateway node's process ({@code gateway} or {@code gateway-2}), or null when its pid file names none. */
	public ProcessStats process(String component) {
		return ProcessStats.fromPidFile(config.runDir().resolve(component + ".pid"));
	}

	/** The one room all pool users are members of, cached. */
	RoomSetup.Room everyoneRoom(String key) {
		int users = tokens.users();
		return rooms().rooms(key + "-" + users, 1, r -> java.util.stream.IntStream.range(0, users).boxed().toList())
			.get(0);
	}

	@Override
	public void close() {
		tokens.save();
		http.close();
	}

	/** The stack is not up. */
	public static final class GatewayDown extends RuntimeException {

		public GatewayDown(String message) {
			super(message);
		}

	}

}
