/**
 * The `expires` field of an API key entry: when the key stops working. Pure functions.
 *
 * Accepted values (ISO 8601, always with a time zone, so no reading depends on the host's zone):
 * - a timestamp `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or `±HH:MM`: the key is refused
 *   from that instant on;
 * - a date `YYYY-MM-DD`: the key works to the end of that UTC day (refused from 00:00 UTC of the
 *   next day on).
 */

/** Milliseconds since the epoch, as Date.now gives them; injectable so tests can move time. */
export type Clock = () => number;

/** Keys expiring within this span (or already expired) are reported at start-up and on every reload. */
export const EXPIRY_WARNING_MS = 14 * 24 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// eslint-disable-next-line security/detect-unsafe-regex -- fixed-width fields and optional suffixes only, and parseExpiry refuses text over MAX_LENGTH (40) before any regex runs
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
/** Longer text cannot be one of the forms above; it is refused before any regex runs. */
const MAX_LENGTH = 40;

/** Milliseconds of a valid calendar day at 00:00 UTC, or undefined (2026-02-30 is not a day). */
function utcDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  // Date.UTC maps years 0-99 to 1900-1999; the round trip refuses them along with impossible days.
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? ms : undefined;
}

/**
 * The first instant (epoch ms) at which a key with this `expires` value is refused, or undefined
 * when the text is not one of the accepted forms.
 */
export function parseExpiry(text: string): number | undefined {
  if (text.length > MAX_LENGTH) return undefined;
  const date = DATE_ONLY.exec(text);
  if (date) {
    const day = utcDay(Number(date[1]), Number(date[2]), Number(date[3]));
    return day === undefined ? undefined : day + DAY_MS;
  }
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const day = utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), m[6] === undefined ? 0 : Number(m[6])];
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  // Digits past milliseconds are dropped (the clock counts milliseconds).
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const [offHours, offMinutes] = [Number(m[10]), Number(m[11])];
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  return day + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

export type ExpiryState = 'expired' | 'expiring' | 'ok';

/** Where a key stands at `now`: refused already, within the warning span, or neither. */
export function expiryState(expiresAt: number, now: number): ExpiryState {
  if (now >= expiresAt) return 'expired';
  return expiresAt - now <= EXPIRY_WARNING_MS ? 'expiring' : 'ok';
}
