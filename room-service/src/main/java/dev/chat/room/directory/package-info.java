/**
 * The room directory: create a room, read one, list and search rooms.
 *
 * <p>
 * Listing is the one place that scans: FerretDB evaluates any filter but an exact {@code _id}
 * after reading the whole {@code rooms} collection. The documents it scans are kept small (no
 * member lists), a private room is included only by id, from the caller's {@code user_rooms}
 * document, and "my rooms" ({@code mine=true}) needs no scan at all: the caller's room ids are
 * read by id, then each room by id.
 */
package dev.chat.room.directory;
