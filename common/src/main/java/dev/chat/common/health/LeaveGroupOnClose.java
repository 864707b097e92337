package dev.chat.common.health;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerPostProcessor;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * Makes a listener container's consumer leave its group when the container stops, also as a
 * static member. Kafka's plain {@code close()} keeps a static member (one with a
 * {@code group.instance.id}) in the group until its session times out, so that a restart within
 * it resumes without a rebalance; but a clean stop (SIGTERM, a deploy) should hand the partitions
 * to the other instances at once, and a restart after it is as quick either way. Kafka 4.1's
 * {@code close(CloseOptions.groupMembershipOperation(LEAVE_GROUP))} (KIP-1092) does that.
 *
 * <p>
 * Spring Kafka 4.0 stops a container's consumer with {@code unsubscribe()} then {@code close()},
 * and offers no close options. {@code unsubscribe()} already "leaves" a static member the quiet
 * way (it forgets its member id without telling the coordinator), after which nothing can leave
 * for real. So the consumer is wrapped: {@code unsubscribe()} does nothing (the container calls it
 * only right before {@code close()}, which revokes the partitions and commits the same way) and
 * {@code close()} leaves the group. A consumer that dies without closing (SIGKILL) is not
 * affected: its successor takes the same instance id over.
 */
final class LeaveGroupOnClose<K, V> implements ConsumerPostProcessor<K, V> {

	@Override
	@SuppressWarnings("unchecked")
	public Consumer<K, V> apply(Consumer<K, V> consumer) {
		return (Consumer<K, V>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
				new Class<?>[] { Consumer.class }, new Leaving(consumer));
	}

	private record Leaving(Consumer<?, ?> consumer) implements InvocationHandler {

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			int arity = method.getParameterCount();
			if (method.getName().equals("unsubscribe") && arity == 0) {
				return null;
			}
			if (method.getName().equals("close") && arity == 0) {
				consumer.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP));
				return null;
			}
			if (method.getName().equals("close") && arity == 1 && args[0] instanceof Duration timeout) {
				consumer.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
					.withTimeout(timeout));
				return null;
			}
			if (method.getName().equals("toString") && arity == 0) {
				return "LeaveGroupOnClose(" + consumer + ")";
			}
			try {
				return method.invoke(consumer, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

	/** Installs the wrapper in the consumer factory of every listener container factory. */
	static final class Installer implements BeanPostProcessor {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory
					&& factory.getConsumerFactory() instanceof DefaultKafkaConsumerFactory<?, ?> consumers
					&& consumers.getPostProcessors().stream().noneMatch(LeaveGroupOnClose.class::isInstance)) {
				install(consumers);
			}
			return bean;
		}

		private static <K, V> void install(DefaultKafkaConsumerFactory<K, V> consumers) {
			consumers.addPostProcessor(new LeaveGroupOnClose<>());
		}

	}

}
