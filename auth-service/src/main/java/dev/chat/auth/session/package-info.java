/**
 * The token facade: {@code POST /api/auth/token}, {@code /refresh} and {@code /logout}, each a
 * thin layer over Keycloak's endpoints that turns its refusals into problem documents.
 */
package dev.chat.auth.session;
