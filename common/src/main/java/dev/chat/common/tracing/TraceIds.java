package dev.chat.common.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;

import org.springframework.util.ClassUtils;

/**
 * The trace id of an observation that is being traced, for what a client is shown (a problem
 * document's {@code traceId}): the same id as the {@code traceId} of the log lines written
 * within it. Works without Micrometer Tracing on the class path (answers null).
 */
public final class TraceIds {

	private static final boolean TRACING = ClassUtils.isPresent("io.micrometer.tracing.Span",
			TraceIds.class.getClassLoader());

	private static final String INVALID = "0".repeat(32);

	/**
	 * The observation's trace id, or null when it has no span (tracing off, or not started). A
	 * span that is not sampled has a trace id all the same, propagated and logged like any other.
	 */
	public static String of(Observation.ContextView context) {
		if (!TRACING || context == null) {
			return null;
		}
		return Traced.traceId(context);
	}

	/** Kept apart so that the tracing classes load only when present. */
	private static final class Traced {

		static String traceId(Observation.ContextView context) {
			TracingObservationHandler.TracingContext tracing = context
				.get(TracingObservationHandler.TracingContext.class);
			Span span = tracing != null ? tracing.getSpan() : null;
			if (span == null) {
				return null;
			}
			String traceId = span.context().traceId();
			return traceId == null || traceId.isEmpty() || INVALID.equals(traceId) ? null : traceId;
		}

	}

	private TraceIds() {
	}

}
