package dev.chat.e2e.identity;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measurement, not a requirement: how long a login and a registration take through the
 * gateway on the test stack, one request at a time (100 of each after 5 unmeasured warm-up
 * requests). The only assertions are that every request succeeded. The figures are printed and
 * written to {@code infra/e2e/target/identity-latency.txt}; run alone with
 * {@code ./chat test -pl infra/e2e -Dtest=IdentityLatencyMeasurement -Dchat.measure=identity}.
 */
@ExtendWith(TestStackExtension.class)
@EnabledIfSystemProperty(named = "chat.measure", matches = "identity")
class IdentityLatencyMeasurement {

	private static final int WARM_UP = 5;

	private static final int MEASURED = 100;

	@Test
	void measuresLoginAndRegistrationLatency(Stack stack) throws IOException {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("latency");
		api.registered(username, "latency-password");

		Timings logins = measure(i -> api.token(username, "latency-password"), 200);
		Timings registrations = measure(
				i -> api.register(AuthApi.uniqueUsername("lat"), "latency-password", null, null), 201);

		String report = String.format("identity latency through the gateway, %d sequential requests each (%d warm-up)%n"
				+ "  login        (POST /api/auth/token):    %s%n" + "  registration (POST /api/auth/register): %s%n",
				MEASURED, WARM_UP, logins, registrations);
		System.out.print(report);
		Path out = Path.of("target", "identity-latency.txt");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);
	}

	private static Timings measure(IntFunction<HttpResponse<String>> request, int expectedStatus) {
		for (int i = 0; i < WARM_UP; i++) {
			assertThat(request.apply(-i - 1).statusCode()).isEqualTo(expectedStatus);
		}
		List<Double> millis = new ArrayList<>();
		for (int i = 0; i < MEASURED; i++) {
			long start = System.nanoTime();
			HttpResponse<String> response = request.apply(i);
			millis.add((System.nanoTime() - start) / 1_000_000.0);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		}
		return new Timings(millis);
	}

	private record Timings(List<Double> sorted) {

		Timings {
			sorted = new ArrayList<>(sorted);
			Collections.sort(sorted);
		}

		double percentile(double p) {
			return sorted.get((int) Math.ceil(p / 100.0 * sorted.size()) - 1);
		}

		double median() {
			int n = sorted.size();
			return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		}

		@Override
		public String toString() {
			return String.format("median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms", median(), percentile(90),
					sorted.getFirst(), sorted.getLast());
		}

	}

}
