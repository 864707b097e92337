import type { ChatRest } from '@chat/client';

/** Display names by user id, looked up over REST once each. */
export class Users {
  readonly #names = new Map<string, Promise<string>>();

  constructor(private readonly rest: ChatRest) {}

  /** Seeds a name already known (from /api/users/me or a presence list). */
  seed(userId: string, name: string): void {
    if (!this.#names.has(userId)) this.#names.set(userId, Promise.resolve(name));
  }

  name(userId: string): Promise<string> {
    let name = this.#names.get(userId);
    if (!name) {
      name = this.rest.user(userId).then(
        (user) => user.displayName || user.username,
        () => {
          this.#names.delete(userId); // try again next time
          return shortId(userId);
        },
      );
      this.#names.set(userId, name);
    }
    return name;
  }

  /** Fills `el` with the user's name once known (shows a short id until then). */
  fill(el: HTMLElement, userId: string): HTMLElement {
    el.textContent ||= shortId(userId);
    void this.name(userId).then((name) => (el.textContent = name));
    return el;
  }
}

function shortId(userId: string): string {
  return userId.length > 8 ? `${userId.slice(0, 8)}…` : userId;
}
