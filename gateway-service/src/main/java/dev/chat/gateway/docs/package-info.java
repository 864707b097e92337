/**
 * The public API documentation: {@code /api/docs/openapi.json}, one OpenAPI 3.1 document merged
 * from every service's own, and Swagger UI on {@code /api/docs}. The services' documents are
 * read from their direct addresses, never routed.
 */
package dev.chat.gateway.docs;
