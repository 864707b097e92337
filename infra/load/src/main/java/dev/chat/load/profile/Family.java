package dev.chat.load.profile;

import java.util.List;

/**
 * Package families, each a hue of its own so that our code stands out from the libraries it
 * calls: in a flame graph the question is usually "where is dev.chat in this?". Frames of one
 * family vary a little in shade (by a hash of the name, so the same frame has the same colour in
 * every graph) to tell neighbours apart.
 */
enum Family {

	OURS("dev.chat", 168, 72, 220, "dev.chat."),
	NETTY("netty", 236, 140, 48, "io.netty."),
	REACTOR("reactor", 56, 178, 172, "reactor."),
	SPRING("spring", 104, 188, 72, "org.springframework."),
	KAFKA("kafka", 222, 196, 52, "org.apache.kafka."),
	JACKSON("jackson", 232, 112, 148, "com.fasterxml.jackson.", "tools.jackson."),
	JDK("jdk", 128, 160, 210, "java.", "javax.", "jdk.", "sun.", "com.sun."),
	SYNTHETIC("", 200, 200, 200, "all", "["),
	OTHER("other", 214, 84, 64);

	private final String label;

	private final int red, green, blue;

	private final List<String> prefixes;

	Family(String label, int red, int green, int blue, String... prefixes) {
		this.label = label;
		this.red = red;
		this.green = green;
		this.blue = blue;
		this.prefixes = List.of(prefixes);
	}

	static Family of(String frame) {
		for (Family family : values()) {
			if (family.prefixes.stream().anyMatch(frame::startsWith)) {
				return family;
			}
		}
		return OTHER;
	}

	String label() {
		return label;
	}

	String base() {
		return rgb(0);
	}

	String colour(String frame) {
		return rgb(Math.floorMod(frame.hashCode(), 41) - 20);
	}

	private String rgb(int shade) {
		return "rgb(%d,%d,%d)".formatted(clamp(red + shade), clamp(green + shade), clamp(blue + shade));
	}

	private static int clamp(int channel) {
		return Math.max(0, Math.min(255, channel));
	}

}
