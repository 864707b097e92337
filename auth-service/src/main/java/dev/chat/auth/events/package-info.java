/**
 * Publishing {@code chat.users} events ({@link dev.chat.common.events.UserEvent}), keyed by user id.
 */
package dev.chat.auth.events;
