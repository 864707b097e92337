/** Token checks at the gateway: the shared resource-server rules, with verified tokens remembered. */
package dev.chat.gateway.security;
