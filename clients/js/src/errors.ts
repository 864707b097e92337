import type { ErrorFrame } from './frames.js';

/** A send or subscription the server refused, or one cut off because the client closed. */
export class ChatError extends Error {
  override readonly name = 'ChatError';
  constructor(
    /** The protocol's error code (`forbidden`, `invalid`, `not_member`, ...), or `closed`. */
    readonly code: string,
    message: string,
    readonly frame?: ErrorFrame,
  ) {
    super(message);
  }
}
