/**
 * The scenarios behind {@code ./chat bench}: each opens connections through a
 * {@link dev.chat.load.target.Target}, sends on an open-loop schedule, and counts what comes
 * back. Rooms are made through the gateway's REST API and cached across runs, because making
 * thousands of them costs minutes.
 */
package dev.chat.load.scenario;
