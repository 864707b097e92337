package dev.chat.load.profile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

class FlameGraphTests {

	private static final String BURNER = FlameGraphTests.class.getName() + ".burnCpuForTheFlameGraph";

	/** Written by the burner so the JIT cannot drop the loop as dead code. */
	static volatile long sink;

	@TempDir
	Path dir;

	@Test
	void aRecordingOfABusyMethodShowsThatMethodInTheCollapsedStacksAndTheSvg() throws Exception {
		Path jfr = dir.resolve("burn.jfr");
		try (Recording recording = new Recording()) {
			recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
			recording.start();
			burnCpuForTheFlameGraph();
			recording.stop();
			recording.dump(jfr);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		int status = FlameGraph.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, jfr.toString(),
				dir.resolve("burn.svg").toString(), "--title=burn <test> & more", "--thread=^" + Pattern.quote(Thread.currentThread().getName()) + "$");

		assertThat(status).isZero();
		// the burner is the leaf, or the caller of the CPU-time getter it polls
		assertThat(Files.readString(dir.resolve("burn.collapsed"))).containsPattern(Pattern.quote(BURNER) + "[; ]")
			.containsPattern("(?m)^[^ ]+ \\d+$");
		assertThat(titlesOfRects(dir.resolve("burn.svg"))).anyMatch(title -> title.startsWith(BURNER + " ("));
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("Top 15 frames by self samples")
			.contains("`" + BURNER + "`");
	}

	@Test
	void anIncludeFilterMatchingNoFrameWritesNothingAndSaysSo() throws Exception {
		Path jfr = dir.resolve("empty.jfr");
		try (Recording recording = new Recording()) {
			recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
			recording.start();
			burnCpuForTheFlameGraph();
			recording.stop();
			recording.dump(jfr);
		}
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = FlameGraph.run(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), jfr.toString(),
				dir.resolve("none.svg").toString(), "--include=no\\.such\\.Frame");

		assertThat(status).isOne();
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("no jdk.ExecutionSample samples left");
		assertThat(dir.resolve("none.svg")).doesNotExist();
	}

	/**
	 * Spins until this thread has used 300 ms of CPU (not of wall clock: on a shared build machine
	 * the thread may wait for a core), bounded by a wall-clock limit so a starved run still ends.
	 */
	private static void burnCpuForTheFlameGraph() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long startCpu = threads.getCurrentThreadCpuTime();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		long x = 1;
		while (threads.getCurrentThreadCpuTime() - startCpu < Duration.ofMillis(300).toNanos()
				&& System.nanoTime() < deadline) {
			for (int i = 0; i < 100_000; i++) {
				x = x * 6364136223846793005L + 1442695040888963407L;
			}
		}
		sink = x;
	}

	private static List<String> titlesOfRects(Path svg) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		Document document = factory.newDocumentBuilder().parse(svg.toFile());
		assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
		List<String> titles = new ArrayList<>();
		NodeList groups = document.getElementsByTagName("g");
		for (int i = 0; i < groups.getLength(); i++) {
			Element group = (Element) groups.item(i);
			if (group.getElementsByTagName("rect").getLength() == 1) {
				titles.add(group.getElementsByTagName("title").item(0).getTextContent());
			}
		}
		return titles;
	}

}
