package dev.chat.test.service;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

import dev.chat.test.mongo.TestMongo;

/** Registered in {@code META-INF/spring.factories}: applies to {@link ChatServiceTest} classes only. */
class ChatServiceContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, ChatServiceTest.class)) {
			return null;
		}
		return new ChatServiceContextCustomizer(TestMongo.databaseFor(testClass));
	}

}
