import { createServer } from 'node:net';

/** A port that was free a moment ago: connecting to it is refused (the "server down" case). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until check() returns true (or gives up after timeoutMs and fails). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, stepMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
