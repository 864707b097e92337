package dev.chat.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Mongo access of the service names one document by {@code _id}: on FerretDB any other
 * filter, any sort, count or aggregation scans the whole collection (ARCHITECTURE.md, "Storage on
 * the Mongo wire"). Checked on the sources, so a scan cannot slip in unnoticed.
 */
class StoreAccessTests {

	private static final Pattern FILTER = Pattern.compile("Filters\\.(\\w+)\\(([^)]*)\\)");

	private static final Pattern FORBIDDEN = Pattern.compile(
			"\\b(Sorts|Aggregates|Projections|Indexes)\\.|countDocuments|estimatedDocumentCount|\\.aggregate\\(|\\.find\\(\\)\\s*\\.|\\.distinct\\(\"|Criteria\\.|Query\\.");

	@Test
	void everyFilterIsAnEqualityOnId() throws IOException {
		List<String> filters = sources().flatMap(source -> {
			Matcher matcher = FILTER.matcher(source);
			return matcher.results().map(match -> match.group(0));
		}).toList();

		assertThat(filters).isNotEmpty().allSatisfy(filter -> assertThat(filter).isEqualTo("Filters.eq(ID, id)"));
	}

	@Test
	void nothingSortsCountsAggregatesOrQueriesOtherwise() throws IOException {
		assertThat(sources().flatMap(source -> FORBIDDEN.matcher(source).results().map(match -> match.group(0))))
			.isEmpty();
	}

	@Test
	void bulkWritesGoThroughBulkWritesWhichCutsThemToWhatFerretDbCanFinish() throws IOException {
		assertThat(sources().filter(source -> source.contains(".bulkWrite("))).isEmpty();
	}

	private static Stream<String> sources() throws IOException {
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			return files.filter(path -> path.toString().endsWith(".java")).toList().stream().map(path -> {
				try {
					return Files.readString(path);
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			});
		}
	}

}
