import type { Page, Room } from '@chat/client';
import { errorText, field, h, replace } from './dom';
import type { App, View } from './main';

/** `#/rooms`: search, page through, filter, create and join rooms. */
export function roomsView(app: App): View {
  let disposed = false;
  let query = { q: '', mine: false };
  let cursor: string | null = null;
  let generation = 0;

  const list = h('ul', { class: 'rooms', 'data-testid': 'room-list', 'aria-label': 'Rooms' });
  const status = h('p', { class: 'muted', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => void load(false) }, 'More rooms');

  const search = h('input', { type: 'search', name: 'q', autocomplete: 'off', maxlength: '100' });
  const mine = h('input', { type: 'checkbox', name: 'mine' });
  const searchForm = h(
    'form',
    { role: 'search', class: 'search', 'aria-label': 'Rooms', onsubmit: (e: Event) => (e.preventDefault(), apply()) },
    field('Search rooms', search),
    h('div', { class: 'check' }, mine, h('label', { for: (mine.id = 'only-mine') }, 'Only my rooms')),
    h('button', { type: 'submit' }, 'Search'),
  );
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(apply, 300);
  });
  mine.addEventListener('change', apply);

  function apply(): void {
    query = { q: search.value.trim(), mine: mine.checked };
    void load(true);
  }

  async function load(fresh: boolean): Promise<void> {
    const mark = ++generation;
    if (fresh) cursor = null;
    status.textContent = 'Loading rooms…';
    list.setAttribute('aria-busy', 'true');
    let page: Page<Room>;
    try {
      page = await app.rest.listRooms({ q: query.q || undefined, mine: query.mine || undefined, limit: 20, cursor: cursor ?? undefined });
    } catch (error) {
      if (mark === generation && !disposed) status.textContent = `Could not load the rooms: ${errorText(error)}`;
      return;
    }
    if (mark !== generation || disposed) return;
    if (fresh) replace(list);
    list.setAttribute('aria-busy', 'false');
    for (const room of page.items) list.append(roomItem(room));
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    status.textContent = list.childElementCount === 0 ? (query.q || query.mine ? 'No room matches.' : 'No rooms yet: create one.') : '';
  }

  function roomItem(room: Room): HTMLElement {
    const joined = room.role !== null;
    const join = h(
      'button',
      {
        type: 'button',
        class: 'small',
        'aria-label': `Join ${room.name}`,
        onclick: async () => {
          join.disabled = true;
          try {
            await app.rest.join(room.id);
            location.hash = `#/rooms/${room.id}`;
          } catch (error) {
            join.disabled = false;
            status.textContent = `Could not join ${room.name}: ${errorText(error)}`;
          }
        },
      },
      'Join',
    );
    const members = `${room.memberCount} member${room.memberCount === 1 ? '' : 's'}`;
    return h(
      'li',
      { class: 'room-item', 'data-testid': 'room', 'data-room-id': room.id },
      h('a', { href: `#/rooms/${room.id}`, class: 'room-link' }, room.name),
      h('span', { class: 'muted' }, `${room.visibility} · ${members}${room.invited && !joined ? ' · invited' : ''}`),
      joined ? h('span', { class: 'badge' }, room.role === 'owner' ? 'Owner' : 'Joined') : room.visibility === 'public' || room.invited ? join : null,
    );
  }

  // Creating a room.
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '100', autocomplete: 'off' });
  const visibility = h('select', { name: 'visibility' }, h('option', { value: 'public' }, 'Public'), h('option', { value: 'private' }, 'Private'));
  const createStatus = h('p', { class: 'muted', role: 'status' });
  const createButton = h('button', { type: 'submit' }, 'Create room');
  const createForm = h(
    'form',
    {
      class: 'create',
      'aria-labelledby': 'create-heading',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const roomName = name.value.trim();
        if (!roomName) return;
        createButton.disabled = true;
        createStatus.textContent = 'Creating…';
        try {
          const room = await app.rest.createRoom({ name: roomName, visibility: visibility.value as Room['visibility'] });
          location.hash = `#/rooms/${room.id}`;
        } catch (error) {
          createStatus.textContent = `Could not create the room: ${errorText(error)}`;
          createButton.disabled = false;
        }
      },
    },
    h('h2', { id: 'create-heading' }, 'Create a room'),
    field('Room name', name),
    field('Visibility', visibility),
    createButton,
    createStatus,
  );

  const el = h(
    'div',
    { class: 'rooms-page' },
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'rooms-heading' },
      h('h1', { id: 'rooms-heading' }, 'Rooms'),
      searchForm,
      status,
      list,
      more,
    ),
    h(
      'section',
      { class: 'panel side', 'aria-label': 'Create and share' },
      createForm,
      h('p', { class: 'muted small-print' }, 'Your user id (others invite you with it): ', h('code', { 'data-testid': 'my-user-id' }, app.me.id)),
    ),
  );
  void load(true);
  return {
    el,
    dispose: () => {
      disposed = true;
      clearTimeout(typingTimer);
    },
  };
}
