/**
 * User profiles in {@code chat_auth.users}, one document per Keycloak user keyed by its id, and
 * the profile endpoints {@code GET /api/users/me} and {@code GET /api/users/{userId}}.
 */
package dev.chat.auth.profile;
