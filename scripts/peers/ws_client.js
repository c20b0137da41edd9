#!/usr/bin/env node
// A client under test on Node's `ws` library (permessage-deflate on) that speaks Autobahn's
// fuzzingserver protocol: /getCaseCount, /runCase?case=N&agent=A for each case (echoing every
// message), /updateReports?agent=A.
// Usage: node ws_client.js ws://127.0.0.1:9001 [AGENT]              runs every case
//        node ws_client.js 'ws://…/runCase?casetuple=1.1.1&agent=A'   runs that one case
//          (for `wsconform test-client --client-cmd 'node ws_client.js {url}'`)
// Debian: apt-get install nodejs node-ws
'use strict';
// Debian installs node-ws outside the search path of Node builds that are not Debian's.
module.paths.push('/usr/share/nodejs', '/usr/lib/nodejs');
const WebSocket = require('ws');

const OPTIONS = { perMessageDeflate: true, maxPayload: 0, handshakeTimeout: 10000,
                  headers: { 'User-Agent': 'node-ws-client' } };

// Opens `url`, echoes every message until the server closes; resolves with the messages' text.
function session(url, echo) {
  return new Promise((resolve) => {
    const received = [];
    const ws = new WebSocket(url, OPTIONS);
    ws.on('message', (data, isBinary) => {
      received.push(data.toString());
      if (echo) ws.send(data, { binary: isBinary });
    });
    ws.on('error', (e) => process.stderr.write(`${url}: ${e.message}\n`));
    ws.on('close', () => resolve(received));
  });
}

async function main() {
  const url = process.argv[2];
  if (!url) {
    process.stderr.write('usage: node ws_client.js ws://127.0.0.1:9001 [AGENT]\n');
    process.exit(2);
  }
  if (url.includes('/runCase')) {
    await session(url, true);
    return;
  }
  const base = url.replace(/\/+$/, '');
  const agent = process.argv[3] || 'node-ws';
  const count = Number((await session(`${base}/getCaseCount`, false))[0]);
  for (let n = 1; n <= count; n++) {
    await session(`${base}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`, true);
  }
  await session(`${base}/updateReports?agent=${encodeURIComponent(agent)}`, false);
  console.log(`ran ${count} cases as ${agent}`);
}

main();
