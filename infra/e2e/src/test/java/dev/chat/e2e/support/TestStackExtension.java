package dev.chat.e2e.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.chat.stack.Stack;
import dev.chat.stack.StackConfig;

/**
 * Starts the whole system once per test run with the launcher behind {@code ./chat up}, on the
 * isolated test configuration ({@link StackConfig#forTests}: {@code .local/test-stack}, ports
 * shifted by 10,000), and stops it when the run ends. Test methods receive the {@link Stack} and
 * a {@link Keycloak} token client as parameters.
 *
 * <p>
 * {@code CHAT_E2E_KEEP_STACK=true} leaves the stack running after the run, and a later run
 * reuses it (start-up is idempotent), which makes iterating on one test fast; stop it with
 * {@code CHAT_STACK=test ./chat down}.
 */
public final class TestStackExtension implements BeforeAllCallback, ParameterResolver {

	@Override
	public void beforeAll(ExtensionContext context) {
		running(context);
	}

	private static RunningStack running(ExtensionContext context) {
		return context.getRoot()
			.getStore(ExtensionContext.Namespace.create(TestStackExtension.class))
			.computeIfAbsent(RunningStack.class, type -> RunningStack.start(), RunningStack.class);
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

		static RunningStack start() {
			Stack stack = new Stack(StackConfig.forTests(StackConfig.findRoot()), System.out);
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
