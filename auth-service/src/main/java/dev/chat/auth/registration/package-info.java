/**
 * {@code POST /api/auth/register}: a Keycloak user, its profile and {@code user.registered},
 * all or nothing.
 */
package dev.chat.auth.registration;
