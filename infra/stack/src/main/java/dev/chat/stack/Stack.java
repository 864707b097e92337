package dev.chat.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole local system as processes: Kafka, FerretDB, Keycloak, then the five services and a
 * second gateway node. {@code ./chat} and the end-to-end tests drive it through this class, so
 * the tests start exactly what a developer starts.
 */
public final class Stack {

	private final StackConfig config;

	private final List<Component> components;

	private final PrintStream out;

	public Stack(StackConfig config, PrintStream out) {
		this.config = config;
		this.out = out;
		StackConfig.Ports p = config.ports();
		String services = "--chat.gateway.services.auth=http://127.0.0.1:" + p.auth()
				+ " --chat.gateway.services.rooms=http://127.0.0.1:" + p.room()
				+ " --chat.gateway.services.messages=http://127.0.0.1:" + p.message()
				+ " --chat.gateway.services.presence=http://127.0.0.1:" + p.presence();
		this.components = List.of(new KafkaBroker(config), new FerretDb(config), new Keycloak(config),
				service("auth-service", "auth-service", p.auth(), "chat_auth"),
				service("room-service", "room-service", p.room(), "chat_rooms"),
				service("message-service", "message-service", p.message(), "chat_messages"),
				service("presence-service", "presence-service", p.presence(), "chat_presence"),
				service("gateway", "gateway-service", p.gateway(), "chat_gateway", "--chat.gateway.node-id=gateway-1",
						services),
				service("gateway-2", "gateway-service", p.gateway2(), "chat_gateway",
						"--chat.gateway.node-id=gateway-2", services));
	}

	private SpringService service(String name, String module, int port, String database, String... extra) {
		List<String> args = new ArrayList<>();
		args.add("--spring.mongodb.uri=" + config.mongoUri(database));
		args.add("--chat.instance-id=" + name);
		for (String arg : extra) {
			args.addAll(List.of(arg.split(" ")));
		}
		// A gateway node holds every socket of its clients: 20,000 idle subscribed ones take about
		// 200 MB of heap (docs/performance.md); the other services stay small.
		return new SpringService(config, name, module, port, args, module.equals("gateway-service") ? "1g" : "384m");
	}

	public StackConfig config() {
		return config;
	}

	public List<Component> components() {
		return components;
	}

	public Component component(String name) {
		return components.stream()
			.filter(c -> c.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"no component " + name + "; known: " + components.stream().map(Component::name).toList()));
	}

	/**
	 * Starts every component that is not already running, in order, and waits until each is
	 * ready. Idempotent: a running, ready component is left alone. On any failure, everything
	 * this call started is stopped again and the failure names the component, with the tail of
	 * its log.
	 */
	public void up() throws InterruptedException {
		List<Component> started = new ArrayList<>();
		Thread cleanup = new Thread(() -> stopQuietly(started.reversed()));
		Runtime.getRuntime().addShutdownHook(cleanup);
		try {
			checkPortsFree();
			for (Component component : components) {
				if (component.isRunning()) {
					awaitReady(component);
					out.printf("  %-16s already running%n", component.name());
					continue;
				}
				Instant begin = Instant.now();
				out.printf("  %-16s starting%n", component.name());
				started.add(component);
				try {
					component.start();
				}
				catch (IOException ex) {
					throw new StackException(component, component.name() + " could not start: " + ex.getMessage(),
							component.logTail(20));
				}
				awaitReady(component);
				out.printf("  %-16s ready in %.1f s%n", component.name(),
						Duration.between(begin, Instant.now()).toMillis() / 1000.0);
			}
			started.clear();
		}
		catch (InterruptedException | RuntimeException ex) {
			stopQuietly(started.reversed());
			started.clear();
			throw ex;
		}
		finally {
			Runtime.getRuntime().removeShutdownHook(cleanup);
		}
	}

	/** Fails, naming the port, when a port of a component that is not ours-and-running is taken. */
	private void checkPortsFree() {
		for (Component component : components) {
			if (component.isRunning()) {
				continue;
			}
			for (int port : component.ports()) {
				if (!isFree(port)) {
					throw new StackException(component, "port " + port + " (" + component.name()
							+ ") is already in use by another process; free it or stop that process", "");
				}
			}
		}
	}

	static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return true;
		}
		catch (IOException taken) {
			return false;
		}
	}

	/**
	 * Starts one component of this stack again after it was stopped or killed, and waits until it
	 * is ready as {@link #up} does: a component that exits or is not ready within the start
	 * timeout fails with the tail of its log.
	 */
	public void start(Component component) throws IOException, InterruptedException {
		component.start();
		awaitReady(component);
	}

	private void awaitReady(Component component) throws InterruptedException {
		Instant deadline = Instant.now().plus(config.startTimeout());
		while (!component.isReady()) {
			if (!component.isRunning()) {
				throw new StackException(component, component.name() + " exited while starting",
						component.logTail(40));
			}
			if (Instant.now().isAfter(deadline)) {
				throw new StackException(component,
						component.name() + " was not ready within " + config.startTimeout().toSeconds() + " s",
						component.logTail(40));
			}
			Thread.sleep(250);
		}
	}

	/** Stops every component this stack recorded, in reverse order, by pid. */
	public void down() {
		stopQuietly(components.reversed());
	}

	private void stopQuietly(List<Component> toStop) {
		for (Component component : toStop) {
			try {
				if (component.isRunning()) {
					out.printf("  %-16s stopping%n", component.name());
				}
				component.stop();
			}
			catch (IOException | RuntimeException ex) {
				out.printf("  %-16s could not be stopped: %s%n", component.name(), ex.getMessage());
			}
		}
	}

	/** One line per component: running or not, ready or not, pid and endpoint. */
	public List<String> status() {
		List<String> lines = new ArrayList<>();
		for (Component component : components) {
			String state = component.process()
				.map(p -> (component.isReady() ? "UP      pid " : "STARTING pid ") + p.pid())
				.orElse("DOWN");
			lines.add(String.format("%-16s %-20s %s", component.name(), state, component.endpoint()));
		}
		return lines;
	}

	/** A component failed to start; the message names it, the log tail says why. */
	public static final class StackException extends RuntimeException {

		private final transient Component component;

		private final String logTail;

		StackException(Component component, String message, String logTail) {
			super(message);
			this.component = component;
			this.logTail = logTail;
		}

		public Component component() {
			return component;
		}

		public String logTail() {
			return logTail;
		}

	}

}
