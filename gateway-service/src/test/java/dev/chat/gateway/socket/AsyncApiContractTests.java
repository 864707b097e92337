package dev.chat.gateway.socket;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.PresenceChanged;
import dev.chat.common.events.PresenceSignal;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.events.TypingEvent;
import dev.chat.common.events.UserEvent;
import dev.chat.common.kafka.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/asyncapi.yaml} against the code: every frame and every Kafka record type has a
 * schema named {@code <SealedInterface>.<Record>} (a record on its own: {@code <Record>}) with
 * exactly the record's components, plus {@code type} with its JSON name where the family has
 * one; a message of the same name carrying it, on the right channel; and nothing documented that
 * the code does not have. Here because the gateway sees both the frames and the event records.
 */
class AsyncApiContractTests {

	private static final Path DOCUMENT = Path.of("..", "docs", "asyncapi.yaml");

	private static final Map<String, Object> asyncApi = load();

	/** What each topic carries, the sealed family or the one record. */
	private static final Map<String, Class<?>> TOPICS = Map.of(Topics.MESSAGES_INBOUND, MessageCommand.class,
			Topics.MESSAGES, MessageEvent.class, Topics.ROOMS, RoomEvent.class, Topics.USERS, UserEvent.class,
			Topics.PRESENCE_EVENTS, PresenceSignal.class, Topics.PRESENCE, PresenceChanged.class, Topics.TYPING,
			TypingEvent.class);

	@Test
	void isAnAsyncApi3Document() {
		assertThat(asyncApi.get("asyncapi")).isEqualTo("3.0.0");
	}

	@Test
	void everyReferenceResolves() {
		List<String> refs = new ArrayList<>();
		collectRefs(asyncApi, refs);
		assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(resolve(ref)).as(ref).isNotNull());
	}

	@Test
	void everyClientFrameIsReceivedOnTheSocket() {
		assertFamilyOnChannel(ClientFrame.class, "socket", "receiveClientFrames");
	}

	@Test
	void everyServerFrameIsSentOnTheSocket() {
		assertFamilyOnChannel(ServerFrame.class, "socket", "sendServerFrames");
	}

	@Test
	void theSocketCarriesNoOtherFrames() {
		Set<String> frames = new LinkedHashSet<>(names(ClientFrame.class));
		frames.addAll(names(ServerFrame.class));
		assertThat(map(map(map(asyncApi, "channels"), "socket"), "messages").keySet())
			.containsExactlyInAnyOrderElementsOf(frames);
	}

	@Test
	void everyTopicIsAChannelOfItsOwnName() {
		assertThat(TOPICS.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
		for (String topic : Topics.ALL) {
			assertThat(map(map(asyncApi, "channels"), topic).get("address")).as(topic).isEqualTo(topic);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("topics")
	void everyRecordOfATopicIsDocumentedOnItsChannel(String topic, Class<?> family) {
		assertThat(map(map(map(asyncApi, "channels"), topic), "messages").keySet()).as(topic)
			.containsExactlyInAnyOrderElementsOf(names(family));
		assertFamilyOnChannel(family, topic, null);
	}

	static Stream<Arguments> topics() {
		return TOPICS.entrySet().stream().map(topic -> Arguments.of(topic.getKey(), topic.getValue()));
	}

	@SuppressWarnings("unchecked")
	private static void assertFamilyOnChannel(Class<?> family, String channel, String operation) {
		for (Class<?> type : members(family)) {
			String name = name(family, type);
			assertSchemaMatchesRecord(family, type, name);
			assertThat(map(map(map(asyncApi, "components"), "messages"), name)).as("message " + name)
				.containsEntry("payload", Map.of("$ref", "#/components/schemas/" + name));
			assertThat(map(map(map(asyncApi, "channels"), channel), "messages")).as(channel + " carries " + name)
				.containsEntry(name, Map.of("$ref", "#/components/messages/" + name));
			if (operation != null) {
				assertThat((List<Object>) map(map(asyncApi, "operations"), operation).get("messages")).as(operation)
					.contains(Map.of("$ref", "#/channels/" + channel + "/messages/" + name));
			}
		}
	}

	private static void assertSchemaMatchesRecord(Class<?> family, Class<?> type, String name) {
		Map<String, Object> schema = map(map(map(asyncApi, "components"), "schemas"), name);
		assertThat(schema).as("schema " + name).isNotEmpty();
		Map<String, Object> properties = map(schema, "properties");
		List<String> fields = new ArrayList<>(
				Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
		String typeName = typeName(family, type);
		if (typeName != null) {
			fields.add("type");
			assertThat(map(properties, "type")).as(name + ".type").containsEntry("const", typeName);
		}
		assertThat(properties.keySet()).as("fields of " + name).containsExactlyInAnyOrderElementsOf(fields);
		List<?> required = (List<?>) schema.getOrDefault("required", List.of());
		assertThat(fields).as("required fields of " + name).containsAll(required.stream().map(String::valueOf).toList());
	}

	/** The records of a sealed family, or the record itself. */
	private static List<Class<?>> members(Class<?> family) {
		if (family.isRecord()) {
			return List.of(family);
		}
		assertThat(family.isSealed()).as(family + " is sealed").isTrue();
		return Arrays.stream(family.getPermittedSubclasses()).flatMap(type -> members(type).stream()).toList();
	}

	private static List<String> names(Class<?> family) {
		return members(family).stream().map(type -> name(family, type)).toList();
	}

	private static String name(Class<?> family, Class<?> type) {
		return type == family ? type.getSimpleName() : family.getSimpleName() + "." + type.getSimpleName();
	}

	/** The {@code type} value Jackson writes for {@code type}, or null when the family has none. */
	private static String typeName(Class<?> family, Class<?> type) {
		JsonTypeInfo info = family.getAnnotation(JsonTypeInfo.class);
		if (info == null) {
			return null;
		}
		assertThat(info.property()).isEqualTo("type");
		return Arrays.stream(family.getAnnotation(JsonSubTypes.class).value())
			.filter(subtype -> subtype.value() == type)
			.map(JsonSubTypes.Type::name)
			.findFirst()
			.orElseThrow(() -> new AssertionError(type + " has no JSON type name"));
	}

	private static void collectRefs(Object node, List<String> refs) {
		if (node instanceof Map<?, ?> object) {
			object.forEach((key, value) -> {
				if ("$ref".equals(key)) {
					refs.add((String) value);
				}
				else {
					collectRefs(value, refs);
				}
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach(item -> collectRefs(item, refs));
		}
	}

	/** A local reference such as {@code #/components/schemas/RoomId}, or null. */
	private static Object resolve(String ref) {
		if (!ref.startsWith("#/")) {
			return null;
		}
		Object node = asyncApi;
		for (String segment : ref.substring(2).split("/")) {
			node = node instanceof Map<?, ?> object ? object.get(segment.replace("~1", "/").replace("~0", "~")) : null;
		}
		return node;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> node, String key) {
		Object value = node.get(key);
		return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
	}

	private static Map<String, Object> load() {
		try (Reader reader = Files.newBufferedReader(DOCUMENT)) {
			return new Yaml().load(reader);
		}
		catch (IOException ex) {
			throw new AssertionError("cannot read " + DOCUMENT.toAbsolutePath(), ex);
		}
	}

}
