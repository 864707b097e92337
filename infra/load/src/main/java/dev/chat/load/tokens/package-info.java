/**
 * The generator's users and their real Keycloak tokens: created in bulk once, logged in with
 * bounded concurrency (a login costs Keycloak a password hash), cached in a file and refreshed
 * instead of logged in again.
 */
package dev.chat.load.tokens;
