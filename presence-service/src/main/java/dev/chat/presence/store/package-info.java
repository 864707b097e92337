/**
 * What every feature needs from the store beyond Spring Data: {@code DocumentLocks}, which makes
 * concurrent updates of one document safe on FerretDB.
 */
package dev.chat.presence.store;
