// ChatClient against an in-process fake gateway. Every wait is for a condition (a frame, an
// event) with a bound; backoff delays are injected small, so no test sleeps.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ChatClient, ChatError, backoffDelay, DEFAULT_BACKOFF } from '../dist/index.js';
import { FakeChatServer, nextEvent } from './support/fake-server.mjs';

const TEST = { timeout: 10_000 };
let server;
let client;
let tokenRequests;

beforeEach(async () => {
  server = await FakeChatServer.start();
  tokenRequests = [];
});

afterEach(async () => {
  client?.close();
  client = undefined;
  await server.stop();
});

function newClient(options = {}) {
  let issued = 0;
  client = new ChatClient({
    url: server.url,
    token: (request) => {
      tokenRequests.push(request);
      return `token-${++issued}`;
    },
    WebSocket,
    backoff: { initialMs: 5, maxMs: 20 },
    pingIntervalMs: 0,
    random: () => 0.5,
    ...options,
  });
  return client;
}

function collect(emitter, event) {
  const seen = [];
  emitter.on(event, (frame) => seen.push(frame));
  return seen;
}

test('connect opens a socket with the token in access_token and reports the state', TEST, async () => {
  newClient();
  const states = collect(client, 'state');
  const connected = server.nextConnection();
  await client.connect();
  const connection = await connected;
  assert.equal(connection.token, 'token-1');
  assert.deepEqual(states, ['connecting', 'open']);
  assert.equal(client.state, 'open');
});

test('send resolves at the ack and the message is delivered once', TEST, async () => {
  newClient({ clientMsgId: () => 'c-1' });
  const messages = collect(client, 'message');
  await client.connect();
  await client.subscribe('room-1');
  const delivered = nextEvent(client, 'message');
  const receipt = await client.send('room-1', 'Hello, room!');
  assert.deepEqual(receipt, { roomId: 'room-1', clientMsgId: 'c-1' });
  await delivered;
  assert.deepEqual(messages.map((m) => [m.seq, m.body, m.clientMsgId]), [[1, 'Hello, room!', 'c-1']]);
});

test('a send made before the socket opens goes out once it is open', TEST, async () => {
  newClient({ clientMsgId: () => 'c-early' });
  const sent = client.send('room-1', 'early');
  client.connect();
  assert.deepEqual(await sent, { roomId: 'room-1', clientMsgId: 'c-early' });
  assert.equal(server.framesOf('send').length, 1);
});

test('the message frame overtaking its ack completes the send', TEST, async () => {
  newClient({ clientMsgId: () => 'c-fast' });
  server.hooks.send = (connection, frame, fake) => {
    fake.post(frame.roomId, { senderId: 'user-1', body: frame.body, clientMsgId: frame.clientMsgId });
    return true; // no ack at all
  };
  await client.connect();
  await client.subscribe('room-1');
  assert.deepEqual(await client.send('room-1', 'quick'), { roomId: 'room-1', clientMsgId: 'c-fast' });
});

test('after the server drops the socket the client resubscribes with sinceSeq and gets what it missed', TEST, async () => {
  newClient();
  const messages = collect(client, 'message');
  await client.connect();
  await client.subscribe('room-1');
  server.post('room-1', { body: 'one' });
  server.post('room-1', { body: 'two' });
  await nextEvent(client, 'message', (frame) => frame.seq === 2);
  assert.equal(client.lastSeq('room-1'), 2);

  const resubscribed = server.nextFrame('subscribe');
  const states = collect(client, 'state');
  server.terminateAll();
  await nextEvent(client, 'state', (state) => state === 'reconnecting');
  server.post('room-1', { body: 'three (missed)' });
  const { frame } = await resubscribed;
  assert.deepEqual(frame, { type: 'subscribe', roomId: 'room-1', sinceSeq: 2 });
  await nextEvent(client, 'message', (message) => message.seq === 3);
  assert.deepEqual(messages.map((m) => m.body), ['one', 'two', 'three (missed)']);
  assert.deepEqual(states.slice(-2), ['reconnecting', 'open']);
});

test('a live-only subscribe starts from the head the server reports', TEST, async () => {
  server.post('room-1', { body: 'old 1' });
  server.post('room-1', { body: 'old 2' });
  newClient();
  const messages = collect(client, 'message');
  await client.connect();
  const subscribed = await client.subscribe('room-1');
  assert.equal(subscribed.lastSeq, 2);
  assert.equal(client.lastSeq('room-1'), 2);
  const resubscribed = server.nextFrame('subscribe');
  server.closeAll(1001, 'no pong');
  assert.equal((await resubscribed).frame.sinceSeq, 2);
  assert.deepEqual(messages, []);
});

test('a subscribe with sinceSeq replays the entries after it', TEST, async () => {
  for (let i = 1; i <= 4; i++) server.post('room-1', { body: `m${i}` });
  newClient();
  const messages = collect(client, 'message');
  await client.connect();
  const replayed = nextEvent(client, 'message', (frame) => frame.seq === 4);
  await client.subscribe('room-1', { sinceSeq: 2 });
  await replayed;
  assert.deepEqual(messages.map((m) => m.seq), [3, 4]);
});

test('a replayed entry already delivered is dropped: each seq once, in order', TEST, async () => {
  newClient();
  const messages = collect(client, 'message');
  await client.connect();
  await client.subscribe('room-1');
  server.post('room-1', { body: 'one' });
  server.post('room-1', { body: 'two' });
  await nextEvent(client, 'message', (frame) => frame.seq === 2);
  // A replay that overlaps what the client has (a server answering from an older seq), then new.
  const connection = server.connections.at(-1);
  server.write(connection, server.rooms.get('room-1')[0]);
  server.write(connection, server.rooms.get('room-1')[1]);
  server.post('room-1', { body: 'three' });
  await nextEvent(client, 'message', (frame) => frame.seq === 3);
  assert.deepEqual(messages.map((m) => m.seq), [1, 2, 3]);
});

test('an unacknowledged send is sent again with the same clientMsgId after a reconnect and stored once', TEST, async () => {
  newClient({ clientMsgId: () => 'c-lost' });
  let first = true;
  server.hooks.send = (connection) => {
    if (!first) return false;
    first = false;
    connection.socket.terminate(); // the send crossed the close: no ack, no error
    return true;
  };
  await client.connect();
  await client.subscribe('room-1');
  const receipt = await client.send('room-1', 'important');
  assert.deepEqual(receipt, { roomId: 'room-1', clientMsgId: 'c-lost' });
  assert.deepEqual(server.framesOf('send').map((f) => f.clientMsgId), ['c-lost', 'c-lost']);
  assert.equal(server.rooms.get('room-1').length, 1);
  assert.deepEqual(client.pending(), []);
});

test('a send stored before the socket died is completed by the replay and stored once', TEST, async () => {
  newClient({ clientMsgId: () => 'c-dup' });
  const messages = collect(client, 'message');
  let first = true;
  server.hooks.send = (connection, frame, fake) => {
    if (!first) return false;
    first = false;
    // message-service stored it, but the socket died before the ack or the message went out.
    fake.post(frame.roomId, { senderId: 'user-1', body: frame.body, clientMsgId: frame.clientMsgId, silent: true });
    connection.socket.terminate();
    return true;
  };
  await client.connect();
  await client.subscribe('room-1');
  const replayed = server.nextFrame('subscribe');
  const receipt = await client.send('room-1', 'once');
  assert.deepEqual(receipt, { roomId: 'room-1', clientMsgId: 'c-dup' });
  assert.equal((await replayed).frame.sinceSeq, 0);
  await client.subscribe('room-1'); // a round trip: whatever the server sent has arrived
  assert.equal(server.rooms.get('room-1').length, 1);
  assert.deepEqual(messages.map((m) => [m.seq, m.clientMsgId]), [[1, 'c-dup']]);
});

test('close 1012 reconnects at once, to the next address, and resends what was unanswered', TEST, async () => {
  const other = await FakeChatServer.start();
  try {
    newClient({ url: [server.url, other.url], backoff: { initialMs: 60_000, maxMs: 60_000 }, clientMsgId: () => 'c-1012' });
    await client.connect();
    await client.subscribe('room-1');
    server.hooks.send = (connection) => {
      connection.socket.close(1012, 'shutting down');
      return true;
    };
    const states = collect(client, 'state');
    const resubscribed = other.nextFrame('subscribe');
    const receipt = await client.send('room-1', 'during a deploy');
    assert.deepEqual(receipt, { roomId: 'room-1', clientMsgId: 'c-1012' });
    assert.equal((await resubscribed).frame.roomId, 'room-1');
    assert.deepEqual(other.framesOf('send').map((f) => f.clientMsgId), ['c-1012']);
    const reconnecting = states.find((s) => s === 'reconnecting');
    assert.ok(reconnecting, 'went through reconnecting');
  } finally {
    client.close();
    await other.stop();
  }
});

test('the reconnect after 1012 waits no backoff delay', TEST, async () => {
  newClient({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
  await client.connect();
  const details = [];
  client.on('state', (state, detail) => details.push([state, detail.code, detail.delayMs]));
  server.closeAll(1012);
  await nextEvent(client, 'state', (state) => state === 'open');
  assert.deepEqual(details, [['reconnecting', 1012, 0], ['open', undefined, undefined]]);
});

test('rate_limited holds the send back for retryAfterMs, then the same send is taken', TEST, async () => {
  newClient({ clientMsgId: () => 'c-slow' });
  let refusedAt;
  server.hooks.send = (connection, frame, fake) => {
    if (refusedAt !== undefined) return false;
    refusedAt = Date.now();
    fake.write(connection, {
      type: 'error',
      code: 'rate_limited',
      message: 'too many sends; slow down',
      ref: frame.clientMsgId,
      retryAfterMs: 80,
    });
    return true;
  };
  await client.connect();
  const retried = server.nextFrame('send', () => refusedAt !== undefined);
  const receipt = await client.send('room-1', 'patience');
  const { frame } = await retried;
  assert.equal(frame.clientMsgId, 'c-slow');
  assert.ok(Date.now() - refusedAt >= 75, `retried after ${Date.now() - refusedAt} ms`);
  assert.deepEqual(receipt, { roomId: 'room-1', clientMsgId: 'c-slow' });
  assert.equal(server.framesOf('send').length, 2);
});

test('unavailable on a send retries it with the same clientMsgId', TEST, async () => {
  newClient({ clientMsgId: () => 'c-retry' });
  let refusals = 2;
  server.hooks.send = (connection, frame, fake) => {
    if (refusals-- <= 0) return false;
    fake.write(connection, { type: 'error', code: 'unavailable', message: 'retry', ref: frame.clientMsgId });
    return true;
  };
  await client.connect();
  await client.send('room-1', 'third time lucky');
  assert.deepEqual(server.framesOf('send').map((f) => f.clientMsgId), ['c-retry', 'c-retry', 'c-retry']);
});

test('a refused send rejects with the error code', TEST, async () => {
  newClient();
  server.hooks.send = (connection, frame, fake) => {
    fake.write(connection, { type: 'error', code: 'invalid', message: 'body is blank', ref: frame.clientMsgId });
    return true;
  };
  await client.connect();
  await assert.rejects(client.send('room-1', 'x'), (error) => error instanceof ChatError && error.code === 'invalid');
  assert.deepEqual(client.pending(), []);
});

test('a refused subscribe rejects and the room is not resubscribed', TEST, async () => {
  newClient();
  server.hooks.subscribe = (connection, frame, fake) => {
    fake.write(connection, { type: 'error', code: 'forbidden', message: 'members only', ref: frame.roomId });
    return true;
  };
  await client.connect();
  await assert.rejects(client.subscribe('room-x'), (error) => error instanceof ChatError && error.code === 'forbidden');
  assert.deepEqual(client.rooms(), []);
});

test('unavailable on a subscribe asks again', TEST, async () => {
  newClient();
  let refusals = 1;
  server.hooks.subscribe = (connection, frame, fake) => {
    if (refusals-- <= 0) return false;
    fake.write(connection, { type: 'error', code: 'unavailable', message: 'starting', ref: frame.roomId });
    return true;
  };
  await client.connect();
  const subscribed = await client.subscribe('room-1');
  assert.equal(subscribed.roomId, 'room-1');
  assert.equal(server.framesOf('subscribe').length, 2);
});

test('close 4401 asks the token provider for a fresh token and reconnects with it', TEST, async () => {
  newClient();
  await client.connect();
  const reconnected = server.nextConnection();
  server.closeAll(4401, 'token expired');
  const connection = await reconnected;
  assert.equal(connection.token, 'token-2');
  assert.deepEqual(tokenRequests, [{ fresh: false }, { fresh: true }]);
});

test('token_expired is answered with auth and a fresh token', TEST, async () => {
  newClient();
  await client.connect();
  const auth = server.nextFrame('auth');
  server.write(server.connections[0], { type: 'error', code: 'token_expired', message: 'expired' });
  assert.deepEqual((await auth).frame, { type: 'auth', token: 'token-2' });
  assert.deepEqual(tokenRequests.at(-1), { fresh: true });
});

test('a JWT is refreshed with auth before it expires', TEST, async () => {
  const jwt = (exp) => `h.${Buffer.from(JSON.stringify({ sub: 'user-1', exp })).toString('base64url')}.s`;
  let issued = 0;
  client = new ChatClient({
    url: server.url,
    WebSocket,
    pingIntervalMs: 0,
    refreshBeforeExpiryMs: 30_000,
    // The first token expires in 30.05 s: the refresh is due 50 ms after the socket opens.
    token: () => jwt(issued++ === 0 ? (Date.now() + 30_050) / 1000 : Date.now() / 1000 + 3600),
  });
  const auth = server.nextFrame('auth');
  await client.connect();
  const { frame } = await auth;
  assert.equal(frame.type, 'auth');
  assert.equal(issued, 2);
});

test('close 4403 (logged out) stops the client and rejects pending sends', TEST, async () => {
  newClient();
  server.hooks.send = () => true; // never answered
  await client.connect();
  const pending = client.send('room-1', 'never');
  const closed = nextEvent(client, 'state', (state) => state === 'closed');
  server.closeAll(4403, 'logged out');
  const [, detail] = await closed;
  assert.equal(detail.cause, 'logged_out');
  assert.equal(detail.code, 4403);
  await assert.rejects(pending, (error) => error instanceof ChatError && error.code === 'closed');
  assert.equal(server.connections.length, 1);
});

test('close 1008 (protocol errors) stops the client', TEST, async () => {
  newClient();
  await client.connect();
  const closed = nextEvent(client, 'state', (state) => state === 'closed');
  server.closeAll(1008, 'too many errors');
  assert.equal((await closed)[1].cause, 'policy_violation');
});

test('a failed handshake backs off, asks for a fresh token, and gives up after maxAttempts', TEST, async () => {
  const url = server.url;
  await server.stop();
  server = await FakeChatServer.start(); // afterEach stops this one
  newClient({ url, backoff: { initialMs: 1, maxMs: 4, maxAttempts: 3 } });
  const details = [];
  client.on('state', (state, detail) => details.push([state, detail.attempt, detail.cause]));
  await assert.rejects(client.connect(), (error) => error instanceof ChatError);
  assert.deepEqual(details, [
    ['connecting', undefined, undefined],
    ['reconnecting', 1, undefined],
    ['reconnecting', 2, undefined],
    ['reconnecting', 3, undefined],
    ['closed', undefined, 'gave_up'],
  ]);
  assert.deepEqual(tokenRequests.map((r) => r.fresh), [false, true, true, true]);
});

test('ping is answered by pong; with no answer the socket is dropped and replaced', TEST, async () => {
  newClient({ pingIntervalMs: 20, pongTimeoutMs: 40 });
  await client.connect();
  await server.nextFrame('ping');
  server.hooks.ping = () => true; // stop answering
  const replaced = server.nextConnection();
  await nextEvent(client, 'state', (state, detail) => state === 'reconnecting' && detail.reason === 'no pong');
  await replaced;
  await nextEvent(client, 'state', (state) => state === 'open');
});

test('typing is sent at most once per interval per room, and other users typing is an event', TEST, async () => {
  newClient({ typingIntervalMs: 60_000 });
  await client.connect();
  const arrived = server.nextFrame('typing', (frame) => frame.roomId === 'room-2');
  client.typing('room-1');
  client.typing('room-1');
  client.typing('room-2');
  const typing = nextEvent(client, 'typing');
  server.write(server.connections[0], { type: 'typing', roomId: 'room-1', userId: 'user-2' });
  assert.deepEqual((await typing)[0], { type: 'typing', roomId: 'room-1', userId: 'user-2' });
  await arrived;
  assert.deepEqual(server.framesOf('typing').map((f) => f.roomId), ['room-1', 'room-2']);
});

test('presence and member frames are events; unknown frames are ignored', TEST, async () => {
  newClient();
  await client.connect();
  const presence = nextEvent(client, 'presence');
  const member = nextEvent(client, 'member');
  const connection = server.connections[0];
  server.write(connection, { type: 'from-the-future', x: 1 });
  server.write(connection, { type: 'presence', roomId: 'r', userId: 'u', status: 'online' });
  server.write(connection, { type: 'member', roomId: 'r', userId: 'u', change: 'joined' });
  assert.equal((await presence)[0].status, 'online');
  assert.equal((await member)[0].change, 'joined');
});

test('close() stops reconnecting; connect() resumes every room from its last seq', TEST, async () => {
  newClient();
  await client.connect();
  await client.subscribe('room-1');
  server.post('room-1');
  await nextEvent(client, 'message');
  client.close();
  assert.equal(client.state, 'closed');
  const resubscribed = server.nextFrame('subscribe');
  await client.connect();
  assert.deepEqual((await resubscribed).frame, { type: 'subscribe', roomId: 'room-1', sinceSeq: 1 });
});

test('invalid input is refused before it reaches the socket', TEST, async () => {
  newClient();
  await assert.rejects(client.send('room 1', 'x'), { code: 'invalid' });
  await assert.rejects(client.send('room-1', '   '), { code: 'invalid' });
  await assert.rejects(client.send('room-1', 'x'.repeat(4001)), { code: 'invalid' });
  await assert.rejects(client.subscribe('room/1'), { code: 'invalid' });
});

test('backoff grows exponentially, stays within its bound, and jitter takes up to its share', () => {
  const options = { ...DEFAULT_BACKOFF, initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(options, n, () => 0)), [100, 200, 400, 800, 1000, 1000]);
  assert.deepEqual([0, 3, 10].map((n) => backoffDelay(options, n, () => 0.999999)), [50, 400, 500]);
});

test('generated clientMsgIds fit the protocol and differ', TEST, async () => {
  newClient({ clientMsgId: undefined });
  await client.connect();
  const [a, b] = await Promise.all([client.send('room-1', 'a'), client.send('room-1', 'b')]);
  assert.match(a.clientMsgId, /^[A-Za-z0-9._:-]{1,64}$/);
  assert.notEqual(a.clientMsgId, b.clientMsgId);
  assert.deepEqual(server.framesOf('send').map((f) => f.clientMsgId), [a.clientMsgId, b.clientMsgId]);
});

test('chaos: 200 sends through sockets cut and restarted midway are each stored once and delivered once, in seq order', TEST, async () => {
  newClient();
  const messages = collect(client, 'message');
  await client.connect();
  await client.subscribe('room-1');
  let received = 0;
  let cuts = 0;
  let restarts = 0;
  server.hooks.send = (connection, frame, fake) => {
    received++;
    if (!connection.open) return true; // read from a socket already cut: gone with it
    if (received % 7 === 0) {
      cuts++;
      connection.socket.terminate(); // lost on the wire: never stored
      return true;
    }
    if (received % 11 === 0) {
      restarts++;
      // Stored, but the node shuts down before the ack or the message goes out.
      fake.post(frame.roomId, { senderId: 'user-1', body: frame.body, clientMsgId: frame.clientMsgId, silent: true });
      connection.socket.close(1012, 'deploy');
      return true;
    }
    return false;
  };
  const bodies = Array.from({ length: 200 }, (_, i) => `m${i}`);
  const receipts = await Promise.all(bodies.map((body) => client.send('room-1', body)));
  if (messages.length < 200) await nextEvent(client, 'message', () => messages.length === 200);

  const stored = server.rooms.get('room-1');
  assert.equal(stored.length, 200, 'each send stored once');
  assert.deepEqual(new Set(stored.map((m) => m.body)), new Set(bodies));
  assert.deepEqual(new Set(receipts.map((r) => r.clientMsgId)), new Set(stored.map((m) => m.clientMsgId)));
  assert.deepEqual(messages.map((m) => m.seq), Array.from({ length: 200 }, (_, i) => i + 1), 'once each, in order');
  assert.ok(cuts > 0 && restarts > 0, `sockets were cut (${cuts}) and restarted (${restarts})`);
  assert.deepEqual(client.pending(), []);
});
