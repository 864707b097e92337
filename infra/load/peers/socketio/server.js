// A minimal Socket.IO 4 room-broadcast server: the peer `./chat bench compare` measures our
// gateway against. Measured only, never shipped.
//
//   PORT=7001 node server.js        (or: node server.js 7001)
//
// Listens on 127.0.0.1 only, WebSocket transport only (no long-polling, no compression).
// Client events:
//   join    (room, ack)            joins the room; ack() once joined
//   publish ({room, body}, ack)    io.to(room).emit('message', body), the publisher included; ack()
const { createServer } = require('node:http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || process.argv[2] || 7001);
const host = '127.0.0.1';

const httpServer = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  res.writeHead(404);
  res.end();
});

const io = new Server(httpServer, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  httpCompression: false,
  cors: undefined,
});

io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    if (typeof room !== 'string' || room.length === 0) {
      if (typeof ack === 'function') ack({ error: 'room must be a non-empty string' });
      return;
    }
    socket.join(room);
    if (typeof ack === 'function') ack();
  });
  socket.on('publish', (msg, ack) => {
    if (!msg || typeof msg.room !== 'string') {
      if (typeof ack === 'function') ack({ error: 'publish needs {room, body}' });
      return;
    }
    io.to(msg.room).emit('message', msg.body);
    if (typeof ack === 'function') ack();
  });
});

httpServer.listen(port, host, () => {
  console.log(`socketio peer: socket.io ${require('socket.io/package.json').version} listening on ${host}:${port}`);
});

const stop = () => {
  io.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
