// ChatRest with an injected fetch: paths, methods, bodies, the token, problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatRest, ProblemError } from '../dist/index.js';

function fakeFetch(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    const { status = 200, body, headers = {} } = answer(calls.at(-1), calls.length) ?? {};
    const contentType = status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': contentType, ...headers },
    });
  };
  return { fetch, calls };
}

test('each method calls its endpoint with the token and decodes the answer', async () => {
  const { fetch, calls } = fakeFetch(({ url }) => ({ body: { url } }));
  const rest = new ChatRest({ baseUrl: 'http://localhost:8000/', token: () => 'T', fetch });
  await rest.listRooms({ q: 'demo', mine: true, limit: 20 });
  await rest.createRoom({ name: 'general', visibility: 'public' });
  await rest.room('r1');
  await rest.join('r1');
  await rest.invite('r1', 'u2');
  await rest.members('r1', { cursor: 'abc' });
  await rest.messages('r1', { beforeSeq: 41, limit: 50 });
  await rest.events('r1', { afterSeq: 41 });
  await rest.sendMessage('r1', { clientMsgId: 'bot-1', body: 'Build passed' });
  await rest.editMessage('r1', 'r1-5', 'Build passed (again)');
  await rest.deleteMessage('r1', 'r1-5');
  await rest.presence('r1');
  await rest.me();
  assert.deepEqual(
    calls.map((c) => `${c.method} ${c.url.replace('http://localhost:8000', '')}`),
    [
      'GET /api/rooms?q=demo&mine=true&limit=20',
      'POST /api/rooms',
      'GET /api/rooms/r1',
      'POST /api/rooms/r1/join',
      'POST /api/rooms/r1/invites',
      'GET /api/rooms/r1/members?cursor=abc',
      'GET /api/rooms/r1/messages?beforeSeq=41&limit=50',
      'GET /api/rooms/r1/events?afterSeq=41',
      'POST /api/rooms/r1/messages',
      'PATCH /api/rooms/r1/messages/r1-5',
      'DELETE /api/rooms/r1/messages/r1-5',
      'GET /api/rooms/r1/presence',
      'GET /api/users/me',
    ],
  );
  assert.ok(calls.every((c) => c.headers.Authorization === 'Bearer T'));
  assert.deepEqual(calls[1].body, { name: 'general', visibility: 'public' });
  assert.deepEqual(calls[4].body, { userId: 'u2' });
  assert.deepEqual(calls[9].body, { body: 'Build passed (again)' });
});

test('a 204 resolves with undefined', async () => {
  const { fetch } = fakeFetch(() => ({ status: 204 }));
  assert.equal(await new ChatRest({ token: () => 'T', fetch }).leave('r1'), undefined);
});

test('the auth calls send no token', async () => {
  const { fetch, calls } = fakeFetch(() => ({ body: { access_token: 'a', refresh_token: 'r', expires_in: 300 } }));
  const rest = new ChatRest({ token: () => 'T', fetch });
  const tokens = await rest.login({ username: 'alice', password: 'alice-pass' });
  await rest.refresh('r');
  assert.equal(tokens.access_token, 'a');
  assert.deepEqual(calls.map((c) => [c.url, c.headers.Authorization]), [['/api/auth/token', undefined], ['/api/auth/refresh', undefined]]);
  assert.deepEqual(calls[1].body, { refresh_token: 'r' });
});

test('a problem is thrown as a ProblemError with every RFC 9457 field', async () => {
  const problem = {
    type: 'urn:chat:problem:validation',
    title: 'Invalid request',
    status: 400,
    detail: 'name: must not be blank',
    instance: '/api/rooms',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    errors: [{ field: 'name', message: 'must not be blank' }],
  };
  const { fetch } = fakeFetch(() => ({ status: 400, body: problem }));
  await assert.rejects(new ChatRest({ token: () => 'T', fetch }).createRoom({ name: '', visibility: 'public' }), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.deepEqual(error.problem, problem);
    assert.equal(error.status, 400);
    assert.equal(error.type, 'urn:chat:problem:validation');
    assert.equal(error.message, 'name: must not be blank');
    return true;
  });
});

test('retryAfterSeconds comes from the problem, or else from Retry-After', async () => {
  const { fetch } = fakeFetch(() => ({
    status: 429,
    body: { type: 'urn:chat:problem:rate-limited', title: 'Too many requests', status: 429 },
    headers: { 'Retry-After': '3' },
  }));
  await assert.rejects(new ChatRest({ token: () => 'T', fetch }).me(), (error) => error.problem.retryAfterSeconds === 3);
});

test('an answer that is not a problem still becomes one', async () => {
  const fetch = async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
  await assert.rejects(new ChatRest({ token: () => 'T', fetch }).me(), (error) => {
    assert.deepEqual(error.problem, { type: 'about:blank', title: 'Bad Gateway', status: 502, instance: '/api/users/me' });
    return true;
  });
});

test('a 401 asks for a fresh token and repeats the request once', async () => {
  const { fetch, calls } = fakeFetch((call, n) =>
    n === 1 ? { status: 401, body: { type: 'urn:chat:problem:unauthorized', status: 401 } } : { body: { id: 'u1' } },
  );
  const requests = [];
  const rest = new ChatRest({ token: ({ fresh }) => (requests.push(fresh), fresh ? 'new' : 'old'), fetch });
  assert.deepEqual(await rest.me(), { id: 'u1' });
  assert.deepEqual(requests, [false, true]);
  assert.deepEqual(calls.map((c) => c.headers.Authorization), ['Bearer old', 'Bearer new']);
});

test('path segments are encoded', async () => {
  const { fetch, calls } = fakeFetch(() => ({ body: {} }));
  await new ChatRest({ token: () => 'T', fetch }).room('a/b?c');
  assert.equal(calls[0].url, '/api/rooms/a%2Fb%3Fc');
});
