/**
 * A run's report: JSON for machines (with the machine, the options and the gateway's JVM flags,
 * since figures from different setups do not compare), markdown tables for people, and SVG
 * charts written without a plotting library.
 */
package dev.chat.load.report;
