/** Injection token of the clock key lifecycle uses (creation times, automatic rotation); tests swap it. */
export const KEY_CLOCK = Symbol('KEY_CLOCK');

export interface KeyClock {
  /** Epoch milliseconds. */
  now(): number;
}

export const SYSTEM_CLOCK: KeyClock = { now: () => Date.now() };
