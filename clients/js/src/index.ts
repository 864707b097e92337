export * from './frames.js';
export * from './client.js';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js';
export { Emitter } from './emitter.js';
export * from './rest.js';
