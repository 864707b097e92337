// An in-process gateway that speaks enough of protocol v1 to test the client: subscribe with
// replay from sinceSeq, send answered by ack and then the stored message (stored once per
// clientMsgId, like message-service), ping/pong, auth, and hooks that let a test answer a frame
// differently (hold it, refuse it, close the socket).
import { WebSocketServer } from 'ws';

const WAIT_MS = 5_000;

export class FakeChatServer {
  /** Every frame clients sent, in order: { connection, frame }. */
  received = [];
  /** Connections in the order they opened. */
  connections = [];
  /** roomId -> the room's stored entries (message frames), seq 1.. */
  rooms = new Map();
  /** Return true from a hook to say the frame was handled (the default answer is skipped). */
  hooks = { send: undefined, subscribe: undefined, ping: undefined };
  #waiters = [];
  #stored = new Map(); // roomId:clientMsgId -> message frame

  static async start() {
    const server = new FakeChatServer();
    await server.#listen();
    return server;
  }

  async #listen() {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => this.wss.once('listening', resolve));
    this.url = `ws://127.0.0.1:${this.wss.address().port}/ws`;
    this.wss.on('connection', (socket, request) => {
      const url = new URL(request.url, 'http://localhost');
      const connection = { socket, token: url.searchParams.get('access_token'), rooms: new Set(), open: true };
      this.connections.push(connection);
      socket.on('close', () => {
        connection.open = false;
      });
      socket.on('message', (data) => this.#onFrame(connection, JSON.parse(data.toString())));
      this.#notify({ connection, frame: { type: '#connected' } });
    });
  }

  room(roomId) {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = [];
      this.rooms.set(roomId, room);
    }
    return room;
  }

  /** Stores a message as message-service would (once per room and clientMsgId) and delivers it to subscribers. */
  post(roomId, { senderId = 'user-2', body = 'hi', clientMsgId = `c-${Math.random()}`, silent = false } = {}) {
    const key = `${roomId}:${senderId}:${clientMsgId}`;
    const stored = this.#stored.get(key);
    if (stored) return { frame: stored, duplicate: true };
    const room = this.room(roomId);
    const seq = room.length + 1;
    const frame = {
      type: 'message',
      roomId,
      id: `${roomId}-${seq}`,
      seq,
      senderId,
      body,
      sentAt: new Date(1_800_000_000_000 + seq).toISOString(),
      clientMsgId,
    };
    room.push(frame);
    this.#stored.set(key, frame);
    if (!silent) this.broadcast(roomId, frame);
    return { frame, duplicate: false };
  }

  broadcast(roomId, frame) {
    for (const connection of this.connections) {
      if (connection.open && connection.rooms.has(roomId)) this.write(connection, frame);
    }
  }

  write(connection, frame) {
    connection.socket.send(JSON.stringify(frame));
  }

  #onFrame(connection, frame) {
    this.received.push({ connection, frame });
    const hook = this.hooks[frame.type];
    if (!(hook && hook(connection, frame, this))) this.#answer(connection, frame);
    this.#notify({ connection, frame });
  }

  #answer(connection, frame) {
    switch (frame.type) {
      case 'subscribe': {
        const room = this.room(frame.roomId);
        connection.rooms.add(frame.roomId);
        this.write(connection, { type: 'subscribed', roomId: frame.roomId, lastSeq: room.length });
        if (frame.sinceSeq !== undefined) {
          for (const entry of room.filter((e) => e.seq > frame.sinceSeq)) this.write(connection, entry);
        }
        break;
      }
      case 'unsubscribe':
        connection.rooms.delete(frame.roomId);
        break;
      case 'send':
        this.write(connection, { type: 'ack', clientMsgId: frame.clientMsgId });
        this.post(frame.roomId, { senderId: connection.userId ?? 'user-1', body: frame.body, clientMsgId: frame.clientMsgId });
        break;
      case 'ping':
        this.write(connection, { type: 'pong' });
        break;
      default:
        break;
    }
  }

  #notify(event) {
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(event.frame, event.connection)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(event);
      }
    }
  }

  /** The next frame (from now on) a client sends that matches; `{ connection, frame }`. */
  next(predicate, what = 'a frame') {
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve };
      waiter.timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`timed out waiting for ${what}`));
      }, WAIT_MS);
      this.#waiters.push(waiter);
    });
  }

  nextFrame(type, extra = () => true) {
    return this.next((frame, connection) => frame.type === type && extra(frame, connection), `a ${type} frame`);
  }

  nextConnection() {
    return this.next((frame) => frame.type === '#connected', 'a connection').then((event) => event.connection);
  }

  framesOf(type) {
    return this.received.filter(({ frame }) => frame.type === type).map(({ frame }) => frame);
  }

  /** Closes every open socket with a close frame (code, reason). */
  closeAll(code, reason = '') {
    for (const connection of this.connections) if (connection.open) connection.socket.close(code, reason);
  }

  /** Cuts every socket without a close frame (the client sees 1006). */
  terminateAll() {
    for (const connection of this.connections) if (connection.open) connection.socket.terminate();
  }

  async stop() {
    for (const waiter of this.#waiters.splice(0)) clearTimeout(waiter.timer);
    this.terminateAll();
    await new Promise((resolve) => this.wss.close(resolve));
  }
}

/** Resolves with the arguments of the next `event` the emitter sends that matches. */
export function nextEvent(emitter, event, predicate = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for the client's ${event} event`));
    }, WAIT_MS);
    const off = emitter.on(event, (...args) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}
