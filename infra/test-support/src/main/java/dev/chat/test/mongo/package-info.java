/**
 * The test store: FerretDB (as the local stack builds it) started once per test JVM, a MongoDB
 * named by {@code CHAT_TEST_MONGO_URI}, or a MongoDB container; a database per test class.
 */
package dev.chat.test.mongo;
