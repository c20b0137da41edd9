#!/usr/bin/env node
// An echo server on Node's `ws` library with permessage-deflate on, as a peer for
// scripts/autobahn-diff.sh and scripts/interop.sh. Usage: node ws_echo_server.js PORT [plain] [--max-size N]
// ("plain": permessage-deflate off; --max-size: ws's maxPayload, default 0 = none, as sections 25 and 27 need)   (Debian: apt-get install nodejs node-ws)
'use strict';
const http = require('http');
// Debian installs node-ws outside the search path of Node builds that are not Debian's.
module.paths.push('/usr/share/nodejs', '/usr/lib/nodejs');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2]);
// As ws's own server does when it creates one ({ port }): a request that is not an upgrade gets
// 426 instead of hanging (section 20 sends such requests).
const server = http.createServer((req, res) => {
  res.writeHead(426, { 'Content-Type': 'text/plain', 'Server': 'node-ws-echo' });
  res.end('Upgrade Required');
});
server.on('upgrade', (req, socket) => socket.on('error', () => {}));
const limitAt = process.argv.indexOf('--max-size');
const maxPayload = limitAt > 0 ? Number(process.argv[limitAt + 1]) : 0;
const wss = new WebSocketServer({ server, perMessageDeflate: !process.argv.slice(3).includes('plain'), maxPayload });
wss.on('headers', (headers) => headers.push('Server: node-ws-echo'));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
server.listen(port, '127.0.0.1');
