package dev.chat.test.tracing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Every span the service's OpenTelemetry SDK ends, at once (no batching): declared as a
 * {@code SpanProcessor} bean, Boot's tracer provider adds it beside its own, whether or not
 * spans are exported. Spans that are not sampled never reach it.
 */
public final class RecordedSpans implements SpanProcessor {

	private final List<SpanData> ended = new CopyOnWriteArrayList<>();

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
	}

	@Override
	public boolean isStartRequired() {
		return false;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		ended.add(span.toSpanData());
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	/** The spans ended so far, in the order they ended. */
	public List<SpanData> ended() {
		return List.copyOf(ended);
	}

	/** The spans of one trace ended so far. */
	public List<SpanData> trace(String traceId) {
		return ended.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
	}

	/** The ended spans with this name. */
	public List<SpanData> named(String name) {
		return ended.stream().filter(span -> span.getName().equals(name)).toList();
	}

}
