/**
 * Tracing fixtures: {@link dev.chat.test.tracing.RecordedSpans} records the spans a service ends.
 */
package dev.chat.test.tracing;
