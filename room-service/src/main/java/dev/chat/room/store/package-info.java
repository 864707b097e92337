/**
 * What every feature needs from the store beyond Spring Data: {@link dev.chat.room.store.DocumentLocks},
 * which makes read-modify-write on one document safe on FerretDB.
 */
package dev.chat.room.store;
