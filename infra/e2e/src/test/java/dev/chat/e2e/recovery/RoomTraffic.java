package dev.chat.e2e.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import tools.jackson.databind.JsonNode;

import dev.chat.test.socket.SocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady traffic in one room: one sender socket sends a message every 100 ms; two subscribers,
 * one on each gateway node, record when each message reaches them. Every time is
 * {@link System#nanoTime}.
 */
final class RoomTraffic implements AutoCloseable {

	static final Duration INTERVAL = Duration.ofMillis(100);

	private final String roomId;

	private final String prefix;

	private final java.util.function.Supplier<SocketClient> connectSender;

	private volatile SocketClient sender;

	/** Close codes of sender sockets the gateway closed (the sender then connects again). */
	private final List<Integer> senderCloses = Collections.synchronizedList(new ArrayList<>());

	/** Sockets a reconnect replaced, closed at the end. */
	private final List<SocketClient> replaced = Collections.synchronizedList(new ArrayList<>());

	private final Map<String, SocketClient> subscribers;

	/** subscriber → the highest seq it has received, for a resubscription with sinceSeq. */
	private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();

	private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

	private final List<String> sent = Collections.synchronizedList(new ArrayList<>());

	private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();

	private final Map<String, String> refused = new ConcurrentHashMap<>();

	/** subscriber → clientMsgId → every time it arrived. */
	private final Map<String, Map<String, List<Long>>> deliveries = new ConcurrentHashMap<>();

	/** subscriber → userId → when that user was first reported online in the room. */
	private final Map<String, Map<String, Long>> online = new ConcurrentHashMap<>();

	private final List<Thread> readers = new ArrayList<>();

	private final AtomicInteger sequence = new AtomicInteger();

	private volatile boolean stopped;

	private ScheduledExecutorService schedule;

	RoomTraffic(String roomId, String prefix, java.util.function.Supplier<SocketClient> connectSender,
			Map<String, SocketClient> subscribers) {
		this.roomId = roomId;
		this.prefix = prefix;
		this.connectSender = connectSender;
		this.sender = connectSender.get();
		this.subscribers = new ConcurrentHashMap<>(subscribers);
		subscribers.forEach((name, socket) -> {
			deliveries.put(name, new ConcurrentHashMap<>());
			online.put(name, new ConcurrentHashMap<>());
			subscribe(name, socket, "");
		});
		SocketClient first = sender;
		readers.add(Thread.ofPlatform().daemon().name("reader-sender").start(() -> read(null, first)));
	}

	private void subscribe(String name, SocketClient socket, String since) {
		socket.send("{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\"" + since + "}");
		socket.next("subscribed", Duration.ofSeconds(20));
		readers.add(Thread.ofPlatform().daemon().name("reader-" + name).start(() -> read(name, socket)));
	}

	/**
	 * A subscriber whose socket closed connects again, as a client does, and subscribes with
	 * {@code sinceSeq} the last seq it received: what it missed is replayed before the live events.
	 */
	void resubscribe(String name, SocketClient socket) {
		SocketClient old = subscribers.put(name, socket);
		replaced.add(old);
		Long since = lastSeq.get(name);
		subscribe(name, socket, since == null ? "" : ",\"sinceSeq\":" + since);
	}

	/** A sender socket the gateway closed is replaced, as a client reconnects; its code is kept. */
	private void reconnectSenderIfClosed() {
		SocketClient current = sender;
		if (current.isOpen()) {
			return;
		}
		senderCloses.add(current.closeCode().handle((code, error) -> code == null ? -1 : code).join());
		replaced.add(current);
		SocketClient next = connectSender.get();
		sender = next;
		readers.add(Thread.ofPlatform().daemon().name("reader-sender").start(() -> read(null, next)));
	}

	private void read(String subscriber, SocketClient socket) {
		// A subscriber's reader ends when its socket is replaced (it read everything long before).
		while (!stopped && (subscriber == null || subscribers.get(subscriber) == socket)) {
			JsonNode frame;
			try {
				frame = socket.next(Duration.ofMillis(200));
			}
			catch (AssertionError nothingYet) {
				continue;
			}
			long now = System.nanoTime();
			String type = frame.path("type").asString();
			String id = frame.path(type.equals("error") ? "ref" : "clientMsgId").asString();
			switch (type) {
				case "ack" -> ackedAt.putIfAbsent(id, now);
				case "error" -> refused.put(id, frame.path("code").asString());
				case "message" -> {
					if (subscriber != null && frame.path("roomId").asString().equals(roomId)) {
						lastSeq.merge(subscriber, frame.path("seq").asLong(), Math::max);
						deliveries.get(subscriber).computeIfAbsent(id, key -> new CopyOnWriteArrayList<>()).add(now);
					}
				}
				case "presence" -> {
					if (subscriber != null && "online".equals(frame.path("status").asString())) {
						online.get(subscriber).putIfAbsent(frame.path("userId").asString(), now);
					}
				}
				default -> {
				}
			}
		}
	}

	String roomId() {
		return roomId;
	}

		/** Starts sending, one message every {@link #INTERVAL}. */
	void start() {
		schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
		schedule.scheduleAtFixedRate(this::sendOne, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void sendOne() {
		try {
			reconnectSenderIfClosed();
		}
		catch (RuntimeException ex) {
			// Sent below on the closed socket, and so refused.
		}
		String id = prefix + "-" + sequence.getAndIncrement();
		sentAt.put(id, System.nanoTime());
		sent.add(id);
		try {
			sender.send("{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"" + id
					+ "\",\"body\":\"recovery probe " + id + "\"}");
		}
		catch (RuntimeException ex) {
			refused.put(id, "not sent: " + ex);
		}
	}

	/** Stops sending (messages already sent keep arriving). */
	void stopSending() throws InterruptedException {
		schedule.shutdown();
		schedule.awaitTermination(5, TimeUnit.SECONDS);
	}

	/** The sender subscribes too, which makes it online in the room for the subscribers. */
	void senderSubscribes() {
		sender.send("{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\"}");
	}

	List<String> sent() {
		synchronized (sent) {
			return List.copyOf(sent);
		}
	}

	long sentAt(String id) {
		return sentAt.get(id);
	}

	Map<String, Long> acked() {
		return Map.copyOf(ackedAt);
	}

	Map<String, String> refused() {
		return Map.copyOf(refused);
	}

	/** When each subscriber received each message, by clientMsgId (several times if duplicated). */
	Map<String, Map<String, List<Long>>> deliveries() {
		return deliveries;
	}

	/** When the subscriber first saw the user online in the room, or null. */
	Long onlineAt(String subscriber, String userId) {
		return online.get(subscriber).get(userId);
	}

	int closeCode(String subscriber) {
		return subscribers.get(subscriber).closeCode().handle((code, error) -> code == null ? -1 : code).join();
	}

	boolean isOpen(String subscriber) {
		return subscribers.get(subscriber).isOpen();
	}

	boolean subscribersOpen() {
		return subscribers.values().stream().allMatch(SocketClient::isOpen);
	}

	/** Messages every subscriber has received. */
	int deliveredToAll() {
		return (int) sent().stream()
			.filter(id -> deliveries.values().stream().allMatch(byId -> byId.containsKey(id)))
			.count();
	}

	/** The longest time between two consecutive deliveries to one subscriber, in ms. */
	long largestGapMillis() {
		long largest = 0;
		for (Map<String, List<Long>> byId : deliveries.values()) {
			long[] times = byId.values().stream().mapToLong(List::getFirst).sorted().toArray();
			for (int i = 1; i < times.length; i++) {
				largest = Math.max(largest, times[i] - times[i - 1]);
			}
		}
		return TimeUnit.NANOSECONDS.toMillis(largest);
	}

	/**
	 * Asserts the room's history against what the traffic saw: seqs 1..N without a gap, every
	 * acknowledged message stored, none twice, and each delivered once to each subscriber, in seq
	 * order (a subscriber that resubscribed is not checked for order across the replay).
	 */
	void assertStoredAndDeliveredOnceInOrder(List<JsonNode> history) {
		List<String> stored = history.stream()
			.sorted(Comparator.comparingLong(message -> message.path("seq").asLong()))
			.map(message -> message.path("clientMsgId").asString())
			.toList();
		assertThat(history).extracting(message -> message.path("seq").asLong())
			.as("seqs of %s", roomId)
			.containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, history.size()).boxed().toList());
		assertThat(stored).as("stored in %s", roomId).doesNotHaveDuplicates().containsAll(acked().keySet());
		deliveries.forEach((subscriber, byId) -> {
			assertThat(byId).as("times each message of %s reached %s", roomId, subscriber)
				.allSatisfy((id, times) -> assertThat(times).as(id).hasSize(1));
			List<String> received = stored.stream().filter(byId::containsKey).toList();
			List<String> byArrival = received.stream().sorted(Comparator.comparingLong(id -> byId.get(id).getFirst())).toList();
			assertThat(byArrival).as("order in which %s received the messages of %s", subscriber, roomId)
				.containsExactlyElementsOf(received);
		});
	}

	/** One line on what happened so far, for a failure message. */
	String summary() {
		Map<String, Long> codes = new java.util.TreeMap<>();
		refused.values().forEach(code -> codes.merge(code, 1L, Long::sum));
		StringBuilder line = new StringBuilder("sent " + sent.size() + ", acked " + ackedAt.size() + ", refused "
				+ codes + ", sender " + state(sender) + ", sender sockets closed by the gateway " + senderCloses);
		deliveries.forEach((name, byId) -> line.append(", ").append(name).append(" got ").append(byId.size())
			.append(" (").append(state(subscribers.get(name))).append(')'));
		return line.toString();
	}

	private static String state(SocketClient socket) {
		if (socket.isOpen()) {
			return "open";
		}
		return "closed " + socket.closeCode().handle((code, error) -> code == null ? String.valueOf(error) : code).join();
	}

	List<Integer> senderCloses() {
		return List.copyOf(senderCloses);
	}

	Iterable<String> subscriberNames() {
		return subscribers.keySet();
	}

	@Override
	public void close() throws InterruptedException {
		if (schedule != null) {
			schedule.shutdownNow();
		}
		stopped = true;
		for (Thread reader : readers) {
			reader.join(Duration.ofSeconds(2));
		}
		sender.close();
		replaced.forEach(SocketClient::close);
		subscribers.values().forEach(SocketClient::close);
	}

}
