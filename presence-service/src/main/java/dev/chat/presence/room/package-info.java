/** The REST view of presence: {@code GET /api/rooms/{roomId}/presence}, for members. */
package dev.chat.presence.room;
