package dev.chat.e2e.recovery;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** What the broker says about a service's consumer group. */
final class ConsumerGroups implements AutoCloseable {

	private final Admin admin;

	ConsumerGroups(String bootstrap) {
		this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 5000));
	}

	ConsumerGroupDescription describe(String group) throws ExecutionException, InterruptedException {
		return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
	}

	/** group.instance.id → member id of every member (a static member's id changes when it rejoins). */
	Map<String, String> members(String group) throws ExecutionException, InterruptedException {
		return describe(group).members()
			.stream()
			.collect(Collectors.toMap(m -> m.groupInstanceId().orElse(m.consumerId()), MemberDescription::consumerId,
					(a, b) -> a, TreeMap::new));
	}

	/** The partitions of the topics that no member of the group owns. */
	Set<TopicPartition> unowned(ConsumerGroupDescription group, Collection<String> topics)
			throws ExecutionException, InterruptedException {
		Set<TopicPartition> all = new HashSet<>();
		for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
			topic.partitions().forEach(p -> all.add(new TopicPartition(topic.name(), p.partition())));
		}
		group.members().forEach(m -> all.removeAll(m.assignment().topicPartitions()));
		return all;
	}

	@Override
	public void close() {
		admin.close();
	}

}
