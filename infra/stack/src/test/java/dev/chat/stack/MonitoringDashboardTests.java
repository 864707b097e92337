package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard ({@code infra/monitoring/grafana/chat-dashboard.json}) and the metric list
 * of docs/operations.md tell the same story: every chat meter a panel queries is documented, and
 * every documented chat meter is on a panel; every panel reads the provisioned data source.
 */
class MonitoringDashboardTests {

	private static final Pattern CHAT_METRIC = Pattern.compile("\\bchat_[a-z_]+");

	private static final Pattern DOCUMENTED = Pattern.compile("(?m)^\\| `(chat_[a-z_]+)` \\|");

	private final Path root = StackConfig.findRoot();

	@Test
	@SuppressWarnings("unchecked")
	void everyChatMeterIsOnTheDashboardAndEveryQueriedOneIsDocumented() throws IOException {
		// JSON is YAML: no JSON library needed here.
		Map<String, Object> dashboard = new Yaml(new SafeConstructor(new LoaderOptions()))
			.load(Files.readString(root.resolve("infra/monitoring/grafana/chat-dashboard.json")));
		assertThat(dashboard.get("uid")).isEqualTo("chat-overview");
		List<String> expressions = new ArrayList<>();
		for (Object item : (List<Object>) dashboard.get("panels")) {
			Map<String, Object> panel = (Map<String, Object>) item;
			if ("row".equals(panel.get("type"))) {
				continue;
			}
			assertThat((Map<String, Object>) panel.get("datasource")).as(panel.get("title") + " data source")
				.containsEntry("uid", "prometheus");
			List<Object> targets = (List<Object>) panel.get("targets");
			assertThat(targets).as(panel.get("title") + " queries").isNotEmpty();
			targets.forEach(target -> expressions.add(String.valueOf(((Map<String, Object>) target).get("expr"))));
		}
		Set<String> queried = new TreeSet<>();
		for (String expression : expressions) {
			Matcher metric = CHAT_METRIC.matcher(expression);
			while (metric.find()) {
				queried.add(metric.group().replaceFirst("_(bucket|count|sum|max)$", ""));
			}
		}
		Set<String> documented = new TreeSet<>();
		Matcher row = DOCUMENTED.matcher(Files.readString(root.resolve("docs/operations.md")));
		while (row.find()) {
			documented.add(row.group(1));
		}
		assertThat(documented).as("chat meters in docs/operations.md").hasSizeGreaterThanOrEqualTo(9);
		assertThat(queried).as("chat meters the dashboard queries vs docs/operations.md")
			.containsExactlyInAnyOrderElementsOf(documented);
	}

}
