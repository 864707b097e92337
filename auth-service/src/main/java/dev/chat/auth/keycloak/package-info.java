/**
 * Keycloak over HTTP, with Spring's reactive {@code WebClient} and no Keycloak client library:
 * the OpenID Connect token and logout endpoints ({@link dev.chat.auth.keycloak.KeycloakTokens})
 * and the admin REST API ({@link dev.chat.auth.keycloak.KeycloakAdmin}) called with the
 * service account's token ({@link dev.chat.auth.keycloak.ServiceAccountToken}).
 */
package dev.chat.auth.keycloak;
