package dev.chat.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.chat.load.measure.ProcessStats;
import dev.chat.load.report.Machine;
import dev.chat.load.report.Report;
import dev.chat.load.report.Result;
import dev.chat.load.scenario.BenchContext;
import dev.chat.load.target.ChatTarget;
import dev.chat.stack.StackConfig;

/**
 * {@code ./chat bench SCENARIO [--key=value ...]}: runs one scenario against a stack that is
 * already up, prints its tables and writes the report under the stack's {@code bench}
 * directory. Exits 1 when the gateway does not answer, 2 on a usage error.
 */
public final class Bench {

	private Bench() {
	}

	/** One finished run: the scenario's result record, the report and where its JSON went. */
	public record Run(Result result, Report report, Path json) {
	}

	public static void main(String[] args) {
		if (args.length == 0 || args[0].equals("--help") || !Scenarios.ALL.containsKey(args[0])) {
			System.err.print((args.length > 0 && !args[0].equals("--help") ? "unknown scenario: " + args[0] + "\n\n" : "")
					+ Scenarios.usage());
			System.exit(2);
		}
		try {
			Run run = run(StackConfig.fromEnvironment(StackConfig.findRoot()), args[0],
					Arrays.asList(args).subList(1, args.length), System.out);
			System.out.println();
			System.out.print(run.report().text());
			System.out.println("report: " + run.json());
			System.exit(0);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
		}
		catch (BenchContext.GatewayDown ex) {
			System.err.println(ex.getMessage());
			System.exit(1);
		}
	}

	/**
	 * Runs {@code scenario} with {@code args} against the stack of {@code config}: the entry
	 * point of both the CLI and the end-to-end smoke test.
	 */
	public static Run run(StackConfig config, String scenario, List<String> args, PrintStream out) {
		Scenarios.Scenario known = Scenarios.ALL.get(scenario);
		if (known == null) {
			throw new IllegalArgumentException("unknown scenario: " + scenario + "\n" + Scenarios.usage());
		}
		Options options = Options.parse(scenario, args, known.defaults());
		Instant started = Instant.now();
		long begin = System.nanoTime();
		try (BenchContext context = BenchContext.open(config, options, out)) {
			ProcessStats gateway = context.process("gateway");
			// Before pinning: pinned to one CPU, this JVM would see only that one.
			Machine machine = Machine.current();
			String pinning = options.flag("pin") ? pin(gateway) : "none";
			Result result;
			try {
				result = known.run().apply(context);
			}
			finally {
				if (options.flag("pin") && gateway != null) {
					// The stack outlives the run (and others use it): the gateway gets every CPU back.
					taskset("0-" + (machine.cpus() - 1), gateway.pid());
				}
			}
			Report report = new Report(scenario, started, (System.nanoTime() - begin) / 1e9, machine,
					options.values(), gateway == null ? List.of() : gateway.commandLine(), pinning, ChatTarget.epoll(),
					result);
			return new Run(result, report, report.write(context.benchDir()));
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot write the report: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Gateway (every thread) on CPU 0, this generator on CPU 1: the two no longer compete for a
	 * core, so the gateway's CPU figures are its own.
	 */
	private static String pin(ProcessStats gateway) {
		if (gateway == null) {
			return "not pinned: no gateway pid";
		}
		String result = taskset("0", gateway.pid()) + "; " + taskset("1", ProcessHandle.current().pid());
		return "gateway " + gateway.pid() + " on CPU 0, generator on CPU 1 (" + result + ")";
	}

	private static String taskset(String cpus, long pid) {
		try {
			Process process = new ProcessBuilder("taskset", "-a", "-cp", cpus, Long.toString(pid)).redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes()).trim();
			return process.waitFor() == 0 ? "ok" : "taskset failed: " + output;
		}
		catch (IOException ex) {
			return "taskset missing: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

}
