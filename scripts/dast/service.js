'use strict';
/** The built service (dist/main.js) as a child process on a free loopback port, its output in a log file. */
const { spawn } = require('node:child_process');
const { openSync, closeSync } = require('node:fs');
const path = require('node:path');
const { freePort, waitForHealth } = require('../lib/local-service');

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');

/**
 * Starts `node dist/main.js` with `env` (plus PATH, HOST and PORT) and resolves once /health
 * answers. stdout and stderr go to `logFile`.
 */
async function startService(env, logFile) {
  const port = await freePort();
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a log file under the report folder the DAST run owns
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`the service did not start (${err.message}); its output is in ${logFile}`);
  }
  return {
    baseUrl,
    /** SIGTERM (graceful drain), SIGKILL after 15 s; resolves with the exit code. */
    stop() {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      });
    },
  };
}

module.exports = { MAIN, ROOT, startService };
