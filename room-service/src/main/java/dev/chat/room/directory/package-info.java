/**
 * The room directory: create a room, read one, list and search rooms.
 *
 * <p>
 * Listing is the one place that scans: FerretDB evaluates any filter but an exact {@code _id}
 * while reading the {@code rooms} collection from its start. Listings are in insertion order,
 * which FerretDB streams without sorting (see {@link dev.chat.room.room.Rooms}), so a page reads
 * the collection only up to the page's end; a search with few matches reads all of it. The
 * documents are kept small (no member lists), a private room is included only by id, from the
 * caller's {@code user_rooms} document, and "my rooms" ({@code mine=true}) needs no scan at all:
 * the caller's room ids are read by id, then each room by id.
 */
package dev.chat.room.directory;
