/** The REST surface under {@code /api/**}: routes to the service that owns each resource. */
package dev.chat.gateway.routing;
