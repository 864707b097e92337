/**
 * The browser client ({@code clients/web}): its bundle served at {@code /}, and
 * {@code GET /api/config}, what it needs to know before it can sign anyone in.
 */
package dev.chat.gateway.web;
