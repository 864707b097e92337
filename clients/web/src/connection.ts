import { ChatClient, type ConnectionState, type StateDetail, type TokenProvider } from '@chat/client';

/** What the header shows: the client's state, plus `offline` when the browser says so. */
export type Shown = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'closed';

/**
 * The one ChatClient of the page, and the browser's online/offline events on top of it: offline
 * stops it at once (no retries into a dead network), online restarts it at once (no waiting out
 * the backoff). ChatClient keeps the rooms and their last seqs across close() and connect(), so
 * recovery resubscribes with sinceSeq as after any reconnect.
 */
export class Connection extends EventTarget {
  readonly client: ChatClient;
  shown: Shown = 'connecting';
  /** When the next attempt is due (reconnecting). */
  retryAt = 0;
  /** Why the client closed for good, when it did. */
  cause: StateDetail['cause'];
  #offline = !navigator.onLine;

  constructor(token: TokenProvider) {
    super();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.client = new ChatClient({ url: `${scheme}://${location.host}/ws`, token, backoff: { maxMs: 15_000 } });
    this.client.on('state', (state, detail) => this.#onState(state, detail));
    window.addEventListener('offline', this.#goneOffline);
    window.addEventListener('online', this.#backOnline);
  }

  start(): void {
    if (this.#offline) {
      this.#show('offline');
      return;
    }
    this.client.connect().catch(() => {
      // closed for good (logged out, or offline): the state event said so
    });
  }

  stop(): void {
    window.removeEventListener('offline', this.#goneOffline);
    window.removeEventListener('online', this.#backOnline);
    this.client.close();
  }

  readonly #goneOffline = (): void => {
    this.#offline = true;
    this.client.close();
    this.#show('offline');
  };

  readonly #backOnline = (): void => {
    this.#offline = false;
    // A client still in its backoff: start over now rather than when the timer fires.
    if (this.client.state !== 'open') this.client.close();
    this.start();
  };

  #onState(state: ConnectionState, detail: StateDetail): void {
    if (this.#offline) return this.#show('offline');
    if (state === 'reconnecting') this.retryAt = Date.now() + (detail.delayMs ?? 0);
    if (state === 'closed') this.cause = detail.cause;
    this.#show(state === 'open' ? 'online' : state);
  }

  #show(shown: Shown): void {
    this.shown = shown;
    this.dispatchEvent(new Event('change'));
  }
}
