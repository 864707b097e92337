package dev.chat.e2e.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.chat.stack.Stack;
import dev.chat.stack.StackConfig;

/**
 * Starts a whole stack once per test run with the launcher behind {@code ./chat up}, on the
 * configuration a subclass names, and stops it when the run ends: every test class extended with
 * the same subclass shares it. Test methods receive the {@link Stack} and a {@link Keycloak} token
 * client as parameters.
 *
 * <p>
 * {@code CHAT_E2E_KEEP_STACK=true} leaves the stack running after the run, and a later run
 * reuses it (start-up is idempotent), which makes iterating on one test fast.
 */
abstract class StackExtension implements BeforeAllCallback, ParameterResolver {

	/** The stack to start, isolated from the developer's. */
	abstract StackConfig config();

	@Override
	public void beforeAll(ExtensionContext context) {
		running(context);
	}

	private RunningStack running(ExtensionContext context) {
		return context.getRoot()
			.getStore(ExtensionContext.Namespace.create(getClass()))
			.computeIfAbsent(RunningStack.class, type -> RunningStack.start(config()), RunningStack.class);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
		Class<?> type = parameter.getParameter().getType();
		return type == Stack.class || type == Keycloak.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
		RunningStack running = running(extension);
		return parameter.getParameter().getType() == Stack.class ? running.stack() : running.keycloak();
	}

	record RunningStack(Stack stack, Keycloak keycloak) implements AutoCloseable {

		static RunningStack start(StackConfig config) {
			Stack stack = new Stack(config, System.out);
			try {
				stack.up();
			}
			catch (Stack.StackException ex) {
				throw new IllegalStateException(ex.getMessage() + "\n" + ex.logTail(), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			return new RunningStack(stack, new Keycloak(stack.config()));
		}

		@Override
		public void close() {
			if (!"true".equals(System.getenv("CHAT_E2E_KEEP_STACK"))) {
				stack.down();
			}
		}

	}

}
