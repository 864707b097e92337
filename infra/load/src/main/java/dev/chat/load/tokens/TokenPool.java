package dev.chat.load.tokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.load.target.Tokens;

/**
 * Tokens of the generator's users, by password grant of the {@code chat-auth-service} client,
 * cached in a file between runs. A login costs Keycloak about 80 ms of CPU (password hashing), a
 * refresh almost nothing, so a cached token with less than a minute left is refreshed, and only
 * a user without a usable refresh token logs in again; at most four at once, so Keycloak never
 * takes both cores from the stack under test. Clients map to users round-robin.
 */
public final class TokenPool implements Tokens {

	private static final long MIN_LIFE_SECONDS = 60;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final String tokenEndpoint;

	private final Path cacheFile;

	private final int users;

	private final Map<Integer, UserToken> tokens = new ConcurrentHashMap<>();

	private final Semaphore logins = new Semaphore(4);

	private final java.util.concurrent.atomic.AtomicLong loginCount = new java.util.concurrent.atomic.AtomicLong();

	private final java.util.concurrent.atomic.AtomicLong refreshCount = new java.util.concurrent.atomic.AtomicLong();

	/**
	 * A user's cached tokens; {@code expiresAt} and {@code refreshExpiresAt} in epoch seconds.
	 */
	public record UserToken(String username, String userId, String accessToken, long expiresAt, String refreshToken,
			long refreshExpiresAt) {
	}

	public TokenPool(HttpClient http, String issuerUri, Path cacheFile, int users) {
		this.http = http;
		this.tokenEndpoint = issuerUri.replace("://localhost:", "://127.0.0.1:") + "/protocol/openid-connect/token";
		this.cacheFile = cacheFile;
		this.users = users;
	}

	public int users() {
		return users;
	}

	public static int userOf(int client, int users) {
		return client % users;
	}

	/** Loads the cache, then makes every user's token usable, logging in at most four at once. */
	public TokenPool ready() {
		load();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int user = 0; user < users; user++) {
				int u = user;
				work.add(pool.submit(() -> current(u)));
			}
			for (Future<?> done : work) {
				done.get();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not obtain the bench users' tokens: " + ex.getMessage(), ex);
		}
		finally {
			pool.shutdownNow();
		}
		save();
		return this;
	}

	/** The users whose cached login is unusable: those {@link BenchUsers} should make sure exist. */
	public List<Integer> withoutUsableToken() {
		load();
		List<Integer> missing = new ArrayList<>();
		for (int user = 0; user < users; user++) {
			UserToken cached = tokens.get(user);
			if (cached == null || cached.refreshExpiresAt() < now() + MIN_LIFE_SECONDS) {
				missing.add(user);
			}
		}
		return missing;
	}

	@Override
	public String token(int client) {
		return current(userOf(client, users)).accessToken();
	}

	@Override
	public Mono<String> fresh(int client) {
		return Mono.fromCallable(() -> token(client)).subscribeOn(Schedulers.boundedElastic());
	}

	/** The user's token (Keycloak's {@code sub}). */
	public String userId(int user) {
		return current(user).userId();
	}

	public long logins() {
		return loginCount.get();
	}

	public long refreshes() {
		return refreshCount.get();
	}

	/** The user's token, refreshed or renewed when less than a minute of it is left. */
	UserToken current(int user) {
		UserToken cached = tokens.get(user);
		if (cached != null && cached.expiresAt() > now() + MIN_LIFE_SECONDS) {
			return cached;
		}
		synchronized (lockOf(user)) {
			cached = tokens.get(user);
			if (cached != null && cached.expiresAt() > now() + MIN_LIFE_SECONDS) {
				return cached;
			}
			UserToken renewed = null;
			if (cached != null && cached.refreshExpiresAt() > now() + 10) {
				renewed = grant(user, Map.of("grant_type", "refresh_token", "refresh_token", cached.refreshToken()));
				if (renewed != null) {
					refreshCount.incrementAndGet();
				}
			}
			if (renewed == null) {
				logins.acquireUninterruptibly();
				try {
					renewed = grant(user, Map.of("grant_type", "password", "username", BenchUsers.username(user),
							"password", BenchUsers.PASSWORD));
				}
				finally {
					logins.release();
				}
				if (renewed == null) {
					throw new IllegalStateException("Keycloak refused the login of " + BenchUsers.username(user));
				}
				loginCount.incrementAndGet();
			}
			tokens.put(user, renewed);
			return renewed;
		}
	}

	private final Object[] locks = new Object[64];

	{
		for (int i = 0; i < locks.length; i++) {
			locks[i] = new Object();
		}
	}

	private Object lockOf(int user) {
		return locks[user % locks.length];
	}

	private UserToken grant(int user, Map<String, String> grant) {
		Map<String, String> form = new LinkedHashMap<>(grant);
		form.put("client_id", "chat-auth-service");
		form.put("client_secret", "chat-auth-service-secret");
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(BenchUsers.form(form)))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return null;
			}
			JsonNode body = JSON.readTree(response.body());
			String access = body.get("access_token").asString();
			long now = now();
			return new UserToken(BenchUsers.username(user), subject(access), access, now + body.path("expires_in").asLong(),
					body.path("refresh_token").asString(), now + body.path("refresh_expires_in").asLong());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Keycloak did not answer at " + tokenEndpoint + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String subject(String jwt) {
		String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
		return JSON.readTree(payload).get("sub").asString();
	}

	private static long now() {
		return System.currentTimeMillis() / 1000;
	}

	private void load() {
		if (!tokens.isEmpty() || !Files.isRegularFile(cacheFile)) {
			return;
		}
		try {
			Map<String, UserToken> cached = JSON.readValue(cacheFile.toFile(), new TypeReference<Map<String, UserToken>>() {
			});
			cached.forEach((user, token) -> {
				int number = Integer.parseInt(user);
				if (number < users) {
					tokens.put(number, token);
				}
			});
		}
		catch (RuntimeException ex) {
			// A damaged cache only costs logins.
		}
	}

	/** Writes the cache (keeping users beyond this pool's size that an earlier, larger run cached). */
	public synchronized void save() {
		try {
			Files.createDirectories(cacheFile.getParent());
			Map<String, UserToken> all = new java.util.TreeMap<>();
			if (Files.isRegularFile(cacheFile)) {
				try {
					all.putAll(JSON.readValue(cacheFile.toFile(), new TypeReference<Map<String, UserToken>>() {
					}));
				}
				catch (RuntimeException ex) {
					// rewritten below
				}
			}
			tokens.forEach((user, token) -> all.put(Integer.toString(user), token));
			Path temp = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp");
			JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), all);
			Files.move(temp, cacheFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
					java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot write " + cacheFile, ex);
		}
	}

}
