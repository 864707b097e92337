/**
 * A stand-in for the Keycloak {@code chat} realm in tests: valid access tokens and the bad ones
 * a resource server must refuse, signed by keys served over HTTP on loopback.
 */
package dev.chat.test.tokens;
