package dev.chat.e2e.support;

import dev.chat.stack.StackConfig;

/**
 * The end-to-end tests' stack ({@link StackConfig#forTests}: {@code .local/test-stack}, ports
 * shifted by 10,000), started once per run (see {@link StackExtension}); stop one kept with
 * {@code CHAT_E2E_KEEP_STACK=true} by {@code CHAT_STACK=test ./chat down}.
 */
public final class TestStackExtension extends StackExtension {

	@Override
	StackConfig config() {
		return StackConfig.forTests(StackConfig.findRoot());
	}

}
