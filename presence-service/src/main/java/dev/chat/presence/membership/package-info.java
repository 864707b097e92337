/**
 * Who is a member of which room, projected from {@code chat.rooms}: the REST endpoint shows a
 * room's presence to its members only.
 */
package dev.chat.presence.membership;
