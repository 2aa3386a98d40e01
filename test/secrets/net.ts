import { freePort } from '../helpers/service-process';

/** A port nothing listens on: connecting to it is refused (the "server down" case). */
export function closedPort(): Promise<number> {
  return freePort();
}

/** Polls until check() returns true (or gives up after timeoutMs and fails). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, stepMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
