/**
 * Rooms as stored: one document per room in {@code rooms} ({@code _id} = room id) and one per
 * taken name in {@code room_names} ({@code _id} = the name's case-folded key), which is what
 * makes names unique: a second insert of the same key fails in the store itself.
 */
package dev.chat.room.room;
