package dev.chat.e2e.support;

import dev.chat.stack.StackConfig;

/**
 * The cluster tests' stack ({@link StackConfig#forClusterTests}: three brokers, two gateway nodes
 * behind nginx, two message-service instances; {@code .local/test-cluster}, ports shifted by
 * 5,000), started once per run (see {@link StackExtension}).
 */
public final class ClusterStackExtension extends StackExtension {

	@Override
	StackConfig config() {
		return StackConfig.forClusterTests(StackConfig.findRoot());
	}

}
