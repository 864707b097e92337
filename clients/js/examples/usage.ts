// The README's usage example, type-checked by `npm test` (never run: it needs the stack). Keep
// the two the same.
import { ChatClient, ChatRest, ProblemError } from '../src/index.js';

const rest = new ChatRest({ baseUrl: 'http://localhost:8000' });
let tokens = await rest.login({ username: 'alice', password: 'alice-pass' });

// Asked before every connection attempt, every auth refresh, and after a REST 401. `fresh` is
// true when the last token must not be used again: refresh it then.
const token = async ({ fresh }: { fresh: boolean }) => {
  if (fresh) tokens = await rest.refresh(tokens.refresh_token);
  return tokens.access_token;
};
const api = new ChatRest({ baseUrl: 'http://localhost:8000', token });

const client = new ChatClient({ url: 'ws://localhost:8000/ws', token });
client.on('state', (state, detail) => console.log('connection', state, detail));
client.on('message', (m) => console.log(m.roomId, m.seq, m.deleted ? '(deleted)' : m.body, m.editedAt ? '(edited)' : ''));
client.on('typing', ({ roomId, userId }) => console.log(userId, 'is typing in', roomId));
client.on('error', (e) => console.warn(e.code, e.message, e.ref));
await client.connect();

// Show the latest page over REST, then follow the room from the newest seq shown: the socket
// replays everything after it (nothing between the page and the subscription is lost).
const room = await api.createRoom({ name: 'integration demo', visibility: 'public' }).catch((error: unknown) => {
  if (error instanceof ProblemError && error.type === 'urn:chat:problem:validation') console.warn(error.problem.errors);
  throw error; // error.problem.traceId finds the request in the logs
});
const page = await api.messages(room.id, { limit: 50 });
await client.subscribe(room.id, { sinceSeq: page.lastSeq });

try {
  const { clientMsgId } = await client.send(room.id, 'Hello, room!'); // resolved at the ack
  console.log('stored exactly once:', clientMsgId);
} catch (error) {
  console.warn('refused', error); // ChatError: code 'invalid', 'forbidden', ..., or 'closed'
}

client.typing(room.id); // throttled to one frame per room every 2 s
