/**
 * What every service that writes to the Mongo wire needs to stay within what FerretDB on SQLite
 * can do (see "Storage on the Mongo wire" in ARCHITECTURE.md).
 */
package dev.chat.common.mongo;
