'use strict';
/** Shared by the bench and the DAST run: a free loopback port, and waiting for a child's /health. */
const net = require('node:net');

/** A TCP port free on 127.0.0.1 at the time of the call. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `${baseUrl}/health` answers 2xx; rejects if `child` exits or after `timeoutMs`. */
async function waitForHealth(baseUrl, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the process exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${baseUrl}/health within ${timeoutMs} ms`);
}

module.exports = { freePort, waitForHealth };
