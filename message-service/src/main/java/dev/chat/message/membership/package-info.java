/**
 * Who is a member of which room, and who owns it: a projection of {@code chat.rooms} kept by
 * {@code _id}, so a send is authorized without a call to room-service.
 */
package dev.chat.message.membership;
