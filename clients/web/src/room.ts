import { ChatError, ProblemError, type ErrorFrame, type Member, type MemberFrame, type Message, type MessageFrame, type PresenceFrame, type Room, type ServerTypingFrame } from '@chat/client';
import { errorText, h, replace, timeOf } from './dom';
import type { App, View } from './main';

const PAGE = 30;
const TYPING_SHOWN_MS = 4_000;

/** A send not yet confirmed by its echo. */
interface Outgoing {
  clientMsgId: string;
  body: string;
  el: HTMLLIElement;
}

let firstMessageMarked = false;

/** `#/rooms/{roomId}`: history, live messages, sending, presence, typing, members. */
export function roomView(app: App, roomId: string): View {
  const { rest, connection, users, me } = app;
  const client = connection.client;
  const offs: Array<() => void> = [];
  let disposed = false;

  const title = h('h1', { id: 'room-title' }, 'Room');
  const roomMeta = h('span', { class: 'muted' });
  const notice = h('p', { class: 'muted', role: 'status', 'data-testid': 'room-status' }, 'Loading…');
  const actions = h('div', { class: 'room-actions' });
  const head = h('div', { class: 'room-head' }, h('a', { href: '#/rooms', class: 'back' }, '← All rooms'), title, roomMeta, actions);

  const list = h('ol', { class: 'messages', 'data-testid': 'messages' });
  const older = h('button', { type: 'button', class: 'secondary small', hidden: true, onclick: () => void loadOlder() }, 'Load older messages');
  const scroller = h('div', { class: 'scroller', role: 'region', 'aria-label': 'Messages', tabindex: '0', 'data-testid': 'scroller' }, older, list);
  const typingLine = h('p', { class: 'typing muted', 'data-testid': 'typing' });

  const composer = h('textarea', { id: 'composer', rows: '2', maxlength: '4000', placeholder: 'Write a message', disabled: true });
  const sendButton = h('button', { type: 'submit', disabled: true }, 'Send');
  const form = h(
    'form',
    { class: 'composer', onsubmit: (e: Event) => (e.preventDefault(), submit()) },
    h('label', { for: 'composer', class: 'sr-only' }, 'Message'),
    composer,
    sendButton,
  );
  const chat = h('section', { class: 'chat', 'aria-labelledby': 'room-title' }, scroller, typingLine, form);

  const online = h('span', { class: 'muted', 'data-testid': 'online-count' });
  const memberList = h('ul', { class: 'members', 'data-testid': 'members', 'aria-label': 'Members' });
  const inviteInput = h('input', { id: 'invite-user', type: 'text', autocomplete: 'off', required: true });
  const inviteStatus = h('p', { class: 'muted', role: 'status' });
  const inviteForm = h(
    'form',
    { class: 'invite', onsubmit: (e: Event) => (e.preventDefault(), void invite()) },
    h('label', { for: 'invite-user' }, 'Invite by user id'),
    h('div', { class: 'row' }, inviteInput, h('button', { type: 'submit', class: 'small' }, 'Invite')),
    inviteStatus,
  );
  const aside = h('aside', { class: 'people', 'aria-labelledby': 'members-heading' }, h('h2', { id: 'members-heading' }, 'Members ', online), memberList, inviteForm);

  const body = h('div', { class: 'room-body' }, chat, aside);
  const el = h('div', { class: 'room-page' }, head, notice, body);

  const byId = new Map<string, HTMLLIElement>();
  const outgoing = new Map<string, Outgoing>();
  const onlineUsers = new Set<string>();
  /** When the latest presence frame of each user came. */
  const frameAt = new Map<string, number>();
  const members = new Map<string, HTMLLIElement>();
  const typers = new Map<string, number>();
  let oldestSeq = Number.POSITIVE_INFINITY;
  let hasMore = false;
  let loadingOlder = false;
  let live = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  const unheard: string[] = [];

  // ---------------------------------------------------------------------------------------------
  // Rendering one message

  function render(m: Message | { clientMsgId: string; senderId: string; body: string; pending: true }): HTMLLIElement {
    const own = m.senderId === me.id;
    const li = h('li', { class: 'message', 'data-testid': 'message', 'data-own': own ? 'true' : 'false' }) as HTMLLIElement;
    li.dataset['clientMsgId'] = m.clientMsgId;
    fill(li, m);
    return li;
  }

  function fill(li: HTMLLIElement, m: Message | { clientMsgId: string; senderId: string; body: string; pending: true }): void {
    const own = m.senderId === me.id;
    const sender = users.fill(h('span', { class: 'sender' }), m.senderId);
    const meta = h('div', { class: 'meta' }, sender);
    if ('pending' in m) {
      li.dataset['state'] = 'pending';
      meta.append(h('span', { class: 'muted' }, 'sending…'));
      replace(li, meta, h('p', { class: 'body', 'data-testid': 'message-body' }, m.body));
      return;
    }
    li.dataset['state'] = 'sent';
    li.dataset['id'] = m.id;
    li.dataset['seq'] = String(seqOf(m));
    meta.append(h('time', { datetime: m.sentAt }, timeOf(m.sentAt)));
    if (m.editedAt && !m.deleted) meta.append(h('span', { class: 'muted' }, '(edited)'));
    if (m.deleted) {
      li.dataset['deleted'] = 'true';
      replace(li, meta, h('p', { class: 'body deleted', 'data-testid': 'message-body' }, 'Message deleted'));
      return;
    }
    const text = h('p', { class: 'body', 'data-testid': 'message-body' }, m.body ?? '');
    const tools = own
      ? h(
          'div',
          { class: 'tools' },
          h('button', { type: 'button', class: 'link', onclick: () => edit(li, m) }, 'Edit'),
          h('button', { type: 'button', class: 'link', onclick: () => void remove(m) }, 'Delete'),
        )
      : null;
    replace(li, meta, text, tools);
  }

  /** The seq of the original message (a message's id is `<roomId>-<that seq>`): its place in the list. */
  function seqOf(m: Message): number {
    const tail = Number(m.id.slice(m.id.lastIndexOf('-') + 1));
    return Number.isFinite(tail) && m.id.startsWith(`${m.roomId}-`) ? tail : m.seq;
  }

  /** Puts a confirmed message in seq order, before the pending ones. */
  function place(li: HTMLLIElement, seq: number): void {
    let after: Element | null = list.lastElementChild;
    while (after && (after as HTMLElement).dataset['state'] === 'pending') after = after.previousElementSibling;
    while (after && Number((after as HTMLElement).dataset['seq']) > seq) after = after.previousElementSibling;
    list.insertBefore(li, after ? after.nextSibling : list.firstChild);
  }

  function markFirst(): void {
    if (firstMessageMarked || list.childElementCount === 0) return;
    firstMessageMarked = true;
    performance.mark('chat:first-message');
  }

  // ---------------------------------------------------------------------------------------------
  // History over REST, then live from the newest seq shown

  const nearBottom = (): boolean => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const toBottom = (): void => {
    scroller.scrollTop = scroller.scrollHeight;
  };

  async function start(): Promise<void> {
    let room: Room;
    try {
      room = await rest.room(roomId);
    } catch (error) {
      notice.textContent = `This room cannot be opened: ${errorText(error)}`;
      return;
    }
    if (disposed) return;
    title.textContent = room.name;
    document.title = `${room.name} · Chat`;
    roomMeta.textContent = room.visibility === 'public' ? 'Public room' : 'Private room';
    if (room.role === null) {
      notice.textContent = room.invited ? 'You are invited to this room.' : 'You are not a member of this room.';
      replace(actions, h('button', { type: 'button', onclick: () => void join() }, 'Join room'));
      body.hidden = true;
      return;
    }
    replace(actions, h('button', { type: 'button', class: 'secondary', onclick: () => void leave() }, 'Leave room'));
    body.hidden = false;
    let page;
    try {
      page = await untilMember(() => rest.messages(roomId, { limit: PAGE }), () => disposed);
    } catch (error) {
      notice.textContent = `Could not load the messages: ${errorText(error)}`;
      return;
    }
    if (disposed) return;
    notice.textContent = '';
    for (const m of page.messages.slice().reverse()) addHistory(m, false);
    hasMore = page.hasMore;
    older.hidden = !hasMore;
    markFirst();
    toBottom();
    live = true;
    composer.disabled = sendButton.disabled = false;
    const sinceSeq = page.lastSeq;
    untilMember(() => client.subscribe(roomId, { sinceSeq }), () => disposed).catch((error: unknown) => {
      if (error instanceof ChatError && error.code === 'closed') return; // offline or leaving: resubscribed later or not wanted
      if (!disposed) notice.textContent = `Live updates stopped: ${errorText(error)}`;
    });
    void loadMembers();
    // Fill the view when the first page is shorter than the screen.
    if (hasMore && scroller.scrollHeight <= scroller.clientHeight) void loadOlder();
  }

  function addHistory(m: Message, prepend: boolean): void {
    if (byId.has(m.id)) return;
    const li = render(m);
    byId.set(m.id, li);
    if (prepend) list.insertBefore(li, list.firstChild);
    else place(li, seqOf(m));
    oldestSeq = Math.min(oldestSeq, seqOf(m));
  }

  async function loadOlder(): Promise<void> {
    if (loadingOlder || !hasMore || disposed) return;
    loadingOlder = true;
    older.textContent = 'Loading…';
    try {
      const page = await rest.messages(roomId, { beforeSeq: oldestSeq, limit: PAGE });
      if (disposed) return;
      // Keep what is on screen where it is: the list grows above it.
      const fromBottom = scroller.scrollHeight - scroller.scrollTop;
      for (const m of page.messages) addHistory(m, true); // newest first: each goes on top
      hasMore = page.hasMore;
      scroller.scrollTop = scroller.scrollHeight - fromBottom;
    } catch (error) {
      notice.textContent = `Could not load older messages: ${errorText(error)}`;
    } finally {
      loadingOlder = false;
      older.textContent = 'Load older messages';
      older.hidden = !hasMore;
    }
    if (hasMore && scroller.scrollHeight <= scroller.clientHeight) void loadOlder();
  }
  scroller.addEventListener('scroll', () => {
    if (scroller.scrollTop < 60) void loadOlder();
  });

  offs.push(
    client.on('message', (frame: MessageFrame) => {
      if (frame.roomId !== roomId || !live) return;
      const stick = nearBottom();
      const existing = byId.get(frame.id);
      if (existing) {
        fill(existing, frame); // an edit, a delete, or a replay of one shown
      } else if (frame.editedAt !== undefined || frame.deleted) {
        return; // a change to a message older than the pages loaded: it shows as it is when paged in
      } else {
        const mine = frame.senderId === me.id ? outgoing.get(frame.clientMsgId) : undefined;
        if (mine) {
          outgoing.delete(frame.clientMsgId);
          mine.el.remove();
        }
        const li = render(frame);
        byId.set(frame.id, li);
        place(li, seqOf(frame));
        if (frame.senderId !== me.id) {
          typers.delete(frame.senderId);
          renderTyping();
          hear(frame.senderId);
        }
        markFirst();
      }
      if (stick || frame.senderId === me.id) toBottom();
    }),
  );

  // ---------------------------------------------------------------------------------------------
  // Sending: shown at once as pending, confirmed by the echo with the same clientMsgId

  function submit(): void {
    const text = composer.value;
    if (text.trim().length === 0) return;
    composer.value = '';
    const clientMsgId = newClientMsgId();
    const pending = { clientMsgId, senderId: me.id, body: text, pending: true as const };
    const li = render(pending);
    list.append(li);
    outgoing.set(clientMsgId, { clientMsgId, body: text, el: li });
    toBottom();
    send(clientMsgId);
  }

  function send(clientMsgId: string): void {
    const out = outgoing.get(clientMsgId);
    if (!out) return;
    client.send(roomId, out.body, { clientMsgId }).catch((error: unknown) => {
      if (!outgoing.has(clientMsgId) || disposed) return;
      // `closed`: the client stopped (offline); sent again with the same id once it is back.
      if (error instanceof ChatError && error.code === 'closed') return;
      fail(clientMsgId, errorText(error));
    });
  }

  function fail(clientMsgId: string, reason: string): void {
    const out = outgoing.get(clientMsgId);
    if (!out) return;
    out.el.dataset['state'] = 'failed';
    const retry = h('button', { type: 'button', class: 'link', onclick: () => retrySend(clientMsgId) }, 'Retry');
    replace(
      out.el,
      h('div', { class: 'meta' }, users.fill(h('span', { class: 'sender' }), me.id), h('span', { class: 'error' }, `Not sent: ${reason}`)),
      h('p', { class: 'body', 'data-testid': 'message-body' }, out.body),
      h('div', { class: 'tools' }, retry),
    );
  }

  function retrySend(clientMsgId: string): void {
    const out = outgoing.get(clientMsgId);
    if (!out) return;
    const li = render({ clientMsgId, senderId: me.id, body: out.body, pending: true });
    out.el.replaceWith(li);
    out.el = li;
    send(clientMsgId);
  }

  offs.push(
    // A refusal after the ack (message-service's not_member, ...) names the send.
    client.on('error', (frame: ErrorFrame) => {
      if (frame.ref && outgoing.has(frame.ref)) fail(frame.ref, frame.message);
    }),
  );
  // Back online after a close(): the sends it rejected go again, same ids (stored once).
  const onConnection = (): void => {
    if (connection.shown !== 'online') return;
    const pendingIds = new Set(client.pending().map((p) => p.clientMsgId));
    for (const out of outgoing.values()) if (out.el.dataset['state'] === 'pending' && !pendingIds.has(out.clientMsgId)) send(out.clientMsgId);
  };
  connection.addEventListener('change', onConnection);
  offs.push(() => connection.removeEventListener('change', onConnection));

  composer.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  composer.addEventListener('input', () => {
    if (composer.value.length > 0) client.typing(roomId);
  });

  // ---------------------------------------------------------------------------------------------
  // Editing and deleting own messages (REST; the socket then delivers the change)

  function edit(li: HTMLLIElement, m: Message): void {
    const box = h('textarea', { rows: '2', maxlength: '4000', 'aria-label': 'Edit message', value: m.body ?? '' });
    const save = async (): Promise<void> => {
      const text = box.value;
      if (text.trim().length === 0 || text === m.body) return cancel();
      box.disabled = true;
      try {
        await rest.editMessage(roomId, m.id, text);
        // The edit entry arrives on the socket and re-renders the message.
        if (li.contains(box)) fill(li, { ...m, body: text, editedAt: new Date().toISOString() });
      } catch (error) {
        box.disabled = false;
        status.textContent = `Not saved: ${errorText(error)}`;
      }
    };
    const cancel = (): void => {
      fill(li, m);
      (li.querySelector('button') as HTMLButtonElement | null)?.focus();
    };
    const status = h('span', { class: 'error', role: 'status' });
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void save();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        cancel();
      }
    });
    const editor = h(
      'div',
      { class: 'editor' },
      box,
      h(
        'div',
        { class: 'tools' },
        h('button', { type: 'button', class: 'small', onclick: () => void save() }, 'Save'),
        h('button', { type: 'button', class: 'small secondary', onclick: cancel }, 'Cancel'),
        status,
      ),
    );
    li.querySelector('.body')?.replaceWith(editor);
    li.querySelector('.tools:not(.editor .tools)')?.remove();
    box.focus();
  }

  async function remove(m: Message): Promise<void> {
    try {
      await rest.deleteMessage(roomId, m.id);
    } catch (error) {
      notice.textContent = `Not deleted: ${errorText(error)}`;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Members, presence, typing

  async function loadMembers(): Promise<void> {
    try {
      const [page, presence] = await untilMember(() => Promise.all([rest.members(roomId, { limit: 100 }), rest.presence(roomId)]), () => disposed);
      if (disposed) return;
      for (const user of presence.users) {
        if (!frameAt.has(user.userId)) onlineUsers.add(user.userId);
      }
      for (const member of page.items) addMember(member.userId, member.role);
      updateOnline();
    } catch (error) {
      if (!disposed) online.textContent = `(unavailable: ${errorText(error)})`;
    }
  }

  function addMember(userId: string, role: Member['role'] = 'member'): void {
    if (members.has(userId)) return;
    const state = h('span', { class: 'presence' });
    const li = h(
      'li',
      { 'data-testid': 'member', 'data-user-id': userId },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      users.fill(h('span', { class: 'name' }), userId),
      role === 'owner' ? h('span', { class: 'muted' }, ' (owner)') : null,
      state,
    ) as HTMLLIElement;
    members.set(userId, li);
    memberList.append(li);
  }

  function updateOnline(): void {
    for (const [userId, li] of members) {
      const on = onlineUsers.has(userId);
      li.dataset['online'] = on ? 'true' : 'false';
      li.querySelector('.presence')!.textContent = on ? ' online' : ' offline';
    }
    const count = [...members.keys()].filter((id) => onlineUsers.has(id)).length;
    online.textContent = `(${members.size}, ${count} online)`;
  }

  /**
   * Presence frames missed while the socket was down, or sent before a newcomer's join, are
   * not replayed: read who is online again after each (re)subscription and each join.
   */
  let presenceTimer: ReturnType<typeof setTimeout> | undefined;
  function reloadPresence(): void {
    clearTimeout(presenceTimer);
    presenceTimer = setTimeout(async () => {
      const started = performance.now();
      try {
        const presence = await rest.presence(roomId);
        if (disposed) return;
        // A frame that came while the request was out is newer than the answer: it stands.
        const listed = new Set(presence.users.map((user) => user.userId));
        for (const userId of new Set([...onlineUsers, ...listed])) {
          if ((frameAt.get(userId) ?? -1) > started) continue;
          if (listed.has(userId)) onlineUsers.add(userId);
          else onlineUsers.delete(userId);
        }
        updateOnline();
      } catch {
        // the next presence frame or resubscription corrects it
      }
    }, 300);
  }

  offs.push(
    client.on('subscribed', (frame) => {
      if (frame.roomId === roomId && members.size > 0) reloadPresence();
    }),
    client.on('presence', (frame: PresenceFrame) => {
      if (frame.roomId !== roomId) return;
      frameAt.set(frame.userId, performance.now());
      if (frame.status === 'online') onlineUsers.add(frame.userId);
      else onlineUsers.delete(frame.userId);
      updateOnline();
    }),
    client.on('member', (frame: MemberFrame) => {
      if (frame.roomId !== roomId) return;
      if (frame.change === 'joined') {
        addMember(frame.userId);
        reloadPresence();
      }
      else {
        members.get(frame.userId)?.remove();
        members.delete(frame.userId);
      }
      updateOnline();
    }),
    client.on('typing', (frame: ServerTypingFrame) => {
      if (frame.roomId !== roomId || frame.userId === me.id) return;
      typers.set(frame.userId, Date.now() + TYPING_SHOWN_MS);
      renderTyping();
    }),
  );

  function renderTyping(): void {
    clearTimeout(typingTimer);
    const now = Date.now();
    for (const [userId, until] of typers) if (until <= now) typers.delete(userId);
    if (typers.size === 0) {
      typingLine.textContent = '';
      return;
    }
    const ids = [...typers.keys()];
    void Promise.all(ids.map((id) => users.name(id))).then((names) => {
      if (disposed || typers.size === 0) return;
      typingLine.textContent = names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`;
    });
    typingTimer = setTimeout(renderTyping, Math.min(...typers.values()) - now + 50);
  }

  /** Announces others' new messages to screen readers, at most one announcement every few seconds. */
  function hear(senderId: string): void {
    unheard.push(senderId);
    if (announceTimer !== undefined) return;
    announceTimer = setTimeout(() => {
      announceTimer = undefined;
      const ids = unheard.splice(0);
      if (ids.length === 1) void users.name(ids[0]!).then((name) => app.announce(`New message from ${name}`));
      else app.announce(`${ids.length} new messages`);
    }, 2_000);
  }

  async function join(): Promise<void> {
    try {
      await rest.join(roomId);
      void start();
    } catch (error) {
      notice.textContent = `Could not join: ${errorText(error)}`;
    }
  }

  async function leave(): Promise<void> {
    try {
      await rest.leave(roomId);
      location.hash = '#/rooms';
    } catch (error) {
      notice.textContent = `Could not leave: ${errorText(error)}`;
    }
  }

  async function invite(): Promise<void> {
    const userId = inviteInput.value.trim();
    if (!userId) return;
    inviteStatus.textContent = 'Inviting…';
    try {
      await rest.invite(roomId, userId);
      inviteStatus.textContent = 'Invited.';
      inviteInput.value = '';
    } catch (error) {
      inviteStatus.textContent = `Could not invite: ${errorText(error)}`;
    }
  }

  void start();
  return {
    el,
    dispose: () => {
      disposed = true;
      clearTimeout(typingTimer);
      clearTimeout(announceTimer);
      clearTimeout(presenceTimer);
      for (const off of offs) off();
      client.unsubscribe(roomId);
      document.title = 'Chat';
    },
  };
}

/**
 * Runs `attempt` again while it is refused as from a non-member, for a few seconds: a room just
 * created or joined reaches the message and gateway services' membership view a moment after
 * room-service answered (they learn it from Kafka).
 */
async function untilMember<T>(attempt: () => Promise<T>, stop: () => boolean, budgetMs = 15_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 200; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await attempt();
    } catch (error) {
      const refused =
        (error instanceof ProblemError && (error.status === 403 || error.status === 404)) ||
        (error instanceof ChatError && (error.code === 'forbidden' || error.code === 'not_found' || error.code === 'not_member'));
      if (!refused || stop() || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function newClientMsgId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `c-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
