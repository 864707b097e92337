/**
 * What every service's OpenAPI document shares: the bearer and Keycloak security schemes and the
 * RFC 9457 problem responses. The gateway merges the services' documents into one.
 */
package dev.chat.common.docs;
