package dev.chat.message.pipeline;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;

import dev.chat.common.kafka.PartitionFence;
import dev.chat.common.kafka.Topics;
import dev.chat.message.MessageProperties;

/**
 * The pipeline's {@link PartitionFence} on {@code chat.messages.inbound}: a batch whose
 * partition another instance has taken writes nothing more (see {@link BatchProcessor}).
 */
@Configuration(proxyBeanMethods = false)
class FenceConfiguration {

	@Bean
	PartitionFence inboundFence(ReactiveMongoDatabaseFactory factory, Environment environment,
			MessageProperties properties) {
		// No I/O: the factory hands out the database object of its connection string.
		return new PartitionFence(factory.getMongoDatabase().block().getCollection(PartitionFence.COLLECTION),
				Topics.MESSAGES_INBOUND, PartitionFence.ownerName(environment), properties.pipeline().fenceGrace());
	}

}
