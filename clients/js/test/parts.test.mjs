// The client's parts on their own: the room tracker's de-duplication and replay points, the
// outbox's order, holds and identities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomTracker } from '../dist/rooms.js';
import { Outbox } from '../dist/outbox.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../dist/index.js';

const message = (roomId, seq) => ({ type: 'message', roomId, id: `${roomId}-${seq}`, seq, senderId: 'u', sentAt: 't', clientMsgId: `c${seq}` });

test('the tracker delivers each seq of a room once, and only rooms it follows', () => {
  const rooms = new RoomTracker();
  rooms.follow('a', undefined);
  rooms.follow('b', undefined);
  const accepted = [message('a', 1), message('a', 2), message('a', 1), message('b', 1), message('a', 2), message('a', 3), message('c', 1)]
    .filter((m) => rooms.accept(m))
    .map((m) => `${m.roomId}${m.seq}`);
  assert.deepEqual(accepted, ['a1', 'a2', 'b1', 'a3']);
  assert.equal(rooms.lastSeq('a'), 3);
});

test('the tracker subscribes live first, then from the highest seq seen', () => {
  const rooms = new RoomTracker();
  rooms.follow('a', undefined);
  assert.deepEqual(rooms.subscribeFrame('a'), { type: 'subscribe', roomId: 'a' });
  rooms.subscribed({ type: 'subscribed', roomId: 'a', lastSeq: 7 });
  assert.deepEqual(rooms.subscribeFrame('a'), { type: 'subscribe', roomId: 'a', sinceSeq: 7 });
  // With a replay in flight the head does not move the last seq: the replayed entries still come.
  rooms.subscribed({ type: 'subscribed', roomId: 'a', lastSeq: 9 });
  assert.equal(rooms.lastSeq('a'), 7);
  assert.ok(rooms.accept(message('a', 8)));
});

test('a sinceSeq given by the application never moves the last seq back', () => {
  const rooms = new RoomTracker();
  rooms.follow('a', 10);
  rooms.follow('a', 4);
  assert.equal(rooms.lastSeq('a'), 10);
});

test('the outbox writes in order, keeps one entry per clientMsgId, and holds back behind a rate limit', () => {
  const outbox = new Outbox();
  const first = outbox.add('r', 'c1', 'one');
  assert.equal(outbox.add('r', 'c1', 'one again'), first, 'the same clientMsgId is the same send');
  outbox.add('r', 'c2', 'two');
  const written = [];
  const write = (frame) => (written.push(frame.clientMsgId), true);
  assert.equal(outbox.writeDue(1000, write), Infinity);
  assert.deepEqual(written, ['c1', 'c2']);
  assert.equal(outbox.writeDue(1000, write), Infinity, 'in flight: not written twice');
  assert.equal(written.length, 2);

  outbox.retryAt(outbox.get('c1'), 1500, true);
  outbox.detached(); // the socket went: c2 is unanswered too
  assert.equal(outbox.writeDue(1200, write), 1500, 'everything waits for the rate limit');
  assert.equal(written.length, 2);
  outbox.writeDue(1500, write);
  assert.deepEqual(written, ['c1', 'c2', 'c1', 'c2']);
  assert.deepEqual(outbox.list().map((p) => [p.clientMsgId, p.attempts]), [['c1', 2], ['c2', 2]]);
});

test('an acknowledged send resolves and leaves the outbox', async () => {
  const outbox = new Outbox();
  const sent = outbox.add('r', 'c1', 'one');
  outbox.acknowledge('c1');
  outbox.acknowledge('c1');
  assert.deepEqual(await sent, { roomId: 'r', clientMsgId: 'c1' });
  assert.deepEqual(outbox.list(), []);
});

test('backoff stays within its bound for any attempt', () => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const delay = backoffDelay(DEFAULT_BACKOFF, attempt);
    assert.ok(delay >= 0 && delay <= DEFAULT_BACKOFF.maxMs, `attempt ${attempt}: ${delay}`);
  }
});
