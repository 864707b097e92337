import './style.css';
import { ChatRest, type User } from '@chat/client';
import { onSignedInElsewhere, Session, SignedOut } from './auth';
import { Connection } from './connection';
import { h, replace } from './dom';
import { roomView } from './room';
import { roomsView } from './rooms';
import { Users } from './users';

/** What every view gets. */
export interface App {
  rest: ChatRest;
  connection: Connection;
  users: Users;
  me: User;
  /** Says something to screen readers (politely, once). */
  announce(text: string): void;
}

export interface View {
  el: HTMLElement;
  dispose(): void;
}

const root = document.getElementById('app')!;

async function boot(): Promise<void> {
  let started: Awaited<ReturnType<typeof Session.start>>;
  try {
    started = await Session.start();
  } catch (error) {
    return showProblem(error instanceof Error ? error.message : 'The chat is unavailable');
  }
  if ('signedOut' in started) return showSignedOut(started.signedOut);
  const session = started.session;
  const rest = new ChatRest({ token: session.token });
  let me: User;
  try {
    me = await rest.me();
  } catch (error) {
    if (session.ended) return signedOutAfter(session);
    return showProblem(error instanceof Error ? error.message : 'The chat is unavailable');
  }
  const users = new Users(rest);
  users.seed(me.id, me.displayName || me.username);
  const connection = new Connection(session.token);
  const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'announcer' });
  const app: App = {
    rest,
    connection,
    users,
    me,
    announce: (text) => {
      announcer.textContent = text;
    },
  };

  const status = h('span', { class: 'conn-text', role: 'status' });
  const countdown = h('span', { 'aria-hidden': 'true' });
  const indicator = h('p', { class: 'conn', 'data-testid': 'connection' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), status, countdown);
  let ticker: ReturnType<typeof setInterval> | undefined;
  const renderState = (): void => {
    const shown = connection.shown;
    indicator.dataset['state'] = shown;
    status.textContent = { connecting: 'Connecting…', online: 'Online', reconnecting: 'Reconnecting', offline: 'Offline', closed: 'Disconnected' }[shown];
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
    countdown.textContent = '';
    if (shown === 'reconnecting') {
      const tick = (): void => {
        countdown.textContent = ` in ${Math.max(0, Math.ceil((connection.retryAt - Date.now()) / 1000))}s`;
      };
      tick();
      ticker = setInterval(tick, 500);
    }
    if (shown === 'closed' && connection.cause === 'logged_out') {
      // 4403: the server ended the session (a logout elsewhere, an admin).
      session.forget();
    }
  };
  connection.addEventListener('change', renderState);
  renderState();

  const signOut = h('button', { type: 'button', class: 'secondary', onclick: () => session.logout() }, 'Sign out');
  const header = h(
    'header',
    { class: 'bar' },
    h('a', { href: '#/rooms', class: 'brand' }, 'Chat'),
    indicator,
    h('span', { class: 'who', 'data-testid': 'me', 'data-user-id': me.id }, me.displayName || me.username),
    signOut,
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  replace(root, header, main, announcer);

  let view: View | undefined;
  const route = (): void => {
    view?.dispose();
    const match = /^#\/rooms\/([A-Za-z0-9_-]{1,64})$/.exec(location.hash);
    view = match ? roomView(app, match[1]!) : roomsView(app);
    if (!match && location.hash !== '#/rooms') history.replaceState(null, '', '#/rooms');
    replace(main, view.el);
  };
  window.addEventListener('hashchange', route);
  route();
  connection.start();

  session.addEventListener('ended', () => {
    // Logged out here or in another tab: drop the socket, forget the views.
    window.removeEventListener('hashchange', route);
    view?.dispose();
    connection.stop();
    signedOutAfter(session);
  });
}

function signedOutAfter(session: Session): void {
  showSignedOut(new SignedOut(session.config, session.endpoints));
}

function showSignedOut(signedOut: SignedOut): void {
  const button = h('button', { type: 'button', onclick: () => void signedOut.login(location.hash) }, 'Sign in');
  replace(
    root,
    h(
      'main',
      { id: 'main', class: 'signed-out', 'data-testid': 'signed-out' },
      h('h1', {}, 'Chat'),
      h('p', {}, 'You are signed out.'),
      signedOut.reason ? h('p', { class: 'error', role: 'alert' }, signedOut.reason) : null,
      button,
    ),
  );
  onSignedInElsewhere(() => location.reload());
}

function showProblem(text: string): void {
  replace(
    root,
    h(
      'main',
      { id: 'main', class: 'signed-out' },
      h('h1', {}, 'Chat'),
      h('p', { class: 'error', role: 'alert' }, text),
      h('button', { type: 'button', onclick: () => location.reload() }, 'Try again'),
    ),
  );
}

void boot();
