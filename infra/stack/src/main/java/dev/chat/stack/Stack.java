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
 * The whole local system as processes: Kafka (one broker or three), FerretDB, Keycloak, the
 * services (message-service and presence-service possibly several times), nginx, and the gateway nodes behind it, as
 * the {@link StackConfig.Topology} says; with monitoring, a Prometheus scraping every service
 * process. {@code ./chat} and the end-to-end tests drive it through
 * this class, so the tests start exactly what a developer starts.
 */
public final class Stack {

	private final StackConfig config;

	private final List<Component> components;

	private final PrintStream out;

	private final Prometheus prometheus;

	public Stack(StackConfig config, PrintStream out) {
		this(config, out, false);
	}

	/**
	 * @param monitoring whether {@link #up} also starts Prometheus ({@code ./chat up --monitoring});
	 * a Prometheus this stack started before is part of it either way, so {@code down} and
	 * {@code status} see it
	 */
	public Stack(StackConfig config, PrintStream out, boolean monitoring) {
		this.config = config;
		this.out = out;
		StackConfig.Ports p = config.ports();
		StackConfig.Topology topology = config.topology();
		// Several instances of a service are reached through nginx, which skips a dead one.
		int messages = topology.replicas() > 1 ? p.messageBalancer() : p.message();
		int presence = topology.replicas() > 1 ? p.presenceBalancer() : p.presence();
		String services = "--chat.gateway.services.auth=http://127.0.0.1:" + p.auth()
				+ " --chat.gateway.services.rooms=http://127.0.0.1:" + p.room()
				+ " --chat.gateway.services.messages=http://127.0.0.1:" + messages
				+ " --chat.gateway.services.presence=http://127.0.0.1:" + presence;
		// Each node enforces its share of the REST rate limits. On loopback every client has one
		// address, and the benches and tests drive single users hard: the limits (and their headers)
		// stay on, far above the defaults, unless CHAT_RATE_LIMITS=default asks for those.
		String rateLimits = "--chat.gateway.rate-limit.nodes=" + topology.gateways();
		if (!"default".equals(System.getenv("CHAT_RATE_LIMITS"))) {
			rateLimits += " --chat.gateway.rate-limit.user.capacity=100000 --chat.gateway.rate-limit.user.period=1m"
					+ " --chat.gateway.rate-limit.address.capacity=100000 --chat.gateway.rate-limit.address.period=1m";
		}
		List<Component> all = new ArrayList<>();
		for (int n = 1; n <= topology.brokers(); n++) {
			all.add(new KafkaBroker(config, n));
		}
		all.addAll(List.of(new FerretDb(config), new Keycloak(config),
				service("auth-service", "auth-service", p.auth(), "chat_auth"),
				service("room-service", "room-service", p.room(), "chat_rooms")));
		for (int n = 1; n <= topology.replicas(); n++) {
			all.add(service(instance("message-service", n), "message-service", p.messageInstance(n), "chat_messages"));
		}
		for (int n = 1; n <= topology.replicas(); n++) {
			all.add(service(instance("presence-service", n), "presence-service", p.presenceInstance(n), "chat_presence"));
		}
		all.add(new Nginx(config));
		for (int n = 1; n <= topology.gateways(); n++) {
			String node = "gateway-" + n;
			all.add(service(n == 1 ? "gateway" : node, "gateway-service", p.gatewayNode(n), "chat_gateway",
					"--chat.gateway.node-id=" + node, rateLimits, services));
		}
		this.prometheus = new Prometheus(config,
				all.stream().filter(SpringService.class::isInstance).map(SpringService.class::cast).toList());
		if (monitoring || prometheus.isRunning()) {
			all.add(prometheus);
		}
		this.components = List.copyOf(all);
	}

	/**
	 * The Prometheus of this stack, scraping every service process: among {@link #components}
	 * when monitoring was asked for (or it runs), otherwise to be started with {@link #start}.
	 */
	public Component prometheus() {
		return prometheus;
	}

	/** The process name of instance {@code n} of a service: {@code message-service}, {@code message-service-2}. */
	private static String instance(String service, int n) {
		return n == 1 ? service : service + "-" + n;
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
			config.saveTopology();
			List<Component> together = new ArrayList<>();
			Instant begin = Instant.now();
			for (Component component : components) {
				together.add(component);
				if (component.isRunning()) {
					out.printf("  %-18s already running%n", component.name());
				}
				else {
					out.printf("  %-18s starting%n", component.name());
					started.add(component);
					try {
						component.start();
					}
					catch (IOException ex) {
						throw new StackException(component, component.name() + " could not start: " + ex.getMessage(),
								component.logTail(20));
					}
				}
				if (component.startsWithNext()) {
					continue;
				}
				for (Component waited : together) {
					awaitReady(waited);
					if (started.contains(waited)) {
						out.printf("  %-18s ready in %.1f s%n", waited.name(),
								Duration.between(begin, Instant.now()).toMillis() / 1000.0);
					}
				}
				together.clear();
				begin = Instant.now();
			}
			started.clear();
		}
		catch (IOException ex) {
			stopQuietly(started.reversed());
			started.clear();
			throw new java.io.UncheckedIOException(ex);
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
	 * Starts components of this stack again after they were stopped or killed, all of them
	 * first, then waits until each is ready as {@link #up} does (a broker is ready only once the
	 * whole cluster is, so two brokers restarted one by one would wait for each other): a
	 * component that exits or is not ready within the start timeout fails with the tail of its log.
	 */
	public void start(Component... components) throws IOException, InterruptedException {
		for (Component component : components) {
			component.start();
		}
		for (Component component : components) {
			awaitReady(component);
		}
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
					out.printf("  %-18s stopping%n", component.name());
				}
				component.stop();
			}
			catch (IOException | RuntimeException ex) {
				out.printf("  %-18s could not be stopped: %s%n", component.name(), ex.getMessage());
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
			lines.add(String.format("%-18s %-20s %s", component.name(), state, component.endpoint()));
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
