/**
 * auth-service: a registration, login, refresh and logout facade over Keycloak, user profiles in
 * {@code chat_auth}, and the {@code chat.users} events. One package per feature:
 * {@code registration}, {@code session} (tokens), {@code profile}, {@code events}, and
 * {@code keycloak} (the HTTP clients for Keycloak's token and admin endpoints).
 */
package dev.chat.auth;
