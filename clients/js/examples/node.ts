// Type-checked by `npm test`: the WebSocket constructors the client accepts without a cast.
import { WebSocket as NodeWebSocket } from 'ws';
import { ChatClient, type WebSocketConstructor } from '../src/index.js';

const token = () => 'token';
// Node before 22: the ws package.
new ChatClient({ url: 'ws://localhost:8000/ws', token, WebSocket: NodeWebSocket });
// Browsers and Node 22+: the global one (the default).
const browser: WebSocketConstructor = globalThis.WebSocket;
new ChatClient({ url: 'ws://localhost:8000/ws', token, WebSocket: browser });
