/** REST rate limits: token buckets per user and, for {@code /api/auth/**}, per client address. */
package dev.chat.gateway.ratelimit;
