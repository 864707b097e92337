package dev.chat.test.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.chat.common.kafka.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TestKafkaIntegrationTests {

	private final String bootstrap = TestKafka.shared().bootstrapServers();

	@Test
	void everyPlatformTopicAndItsDeadLetterTopicExist() throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			Map<String, TopicDescription> topics = admin.describeTopics(TestKafka.topicNames())
				.allTopicNames()
				.get(10, TimeUnit.SECONDS);

			assertThat(topics).containsKeys(Topics.ALL.toArray(String[]::new))
				.containsKey(Topics.deadLetter(Topics.MESSAGES))
				.hasSize(Topics.ALL.size() * 2);
			assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSizeGreaterThan(0));
		}
	}

	@Test
	void recordSentIsConsumedFromItsKeysPartition() throws Exception {
		String roomId = "room-" + UUID.randomUUID();
		RecordMetadata sent;
		try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrap, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
			sent = producer.send(new ProducerRecord<>(Topics.TYPING, roomId, "typing")).get(10, TimeUnit.SECONDS);
		}

		List<ConsumerRecord<String, String>> received = new ArrayList<>();
		try (var consumer = new KafkaConsumer<>(
				Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
						ConsumerConfig.GROUP_ID_CONFIG, "test-" + roomId, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
						"earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.TYPING));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(received::add);
				return received.stream().anyMatch(r -> roomId.equals(r.key()));
			});
		}

		assertThat(received).filteredOn(r -> roomId.equals(r.key()))
			.singleElement()
			.satisfies(r -> assertThat(r.partition()).isEqualTo(sent.partition()))
			.satisfies(r -> assertThat(r.value()).isEqualTo("typing"));
	}

}
