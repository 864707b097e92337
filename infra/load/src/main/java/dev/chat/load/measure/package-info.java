/**
 * What the generator measures and how: bodies that carry their own send time, an open-loop
 * schedule that never waits for the server (so a slow server shows as latency, not as a lower
 * offered rate), HdrHistogram recorders fed from I/O threads, a bit set per connection that
 * tells lost from duplicated, and the server's CPU and memory read from /proc.
 */
package dev.chat.load.measure;
