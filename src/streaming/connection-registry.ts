import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config';
import type { Principal } from '../auth/principal';

/** What the upgrade decided about a connection, kept for its session. */
export interface Admission {
  /**
   * `key:<id>` for a key presented at upgrade (or later in-band), else `ip:<address>`: the
   * connection caps count against it.
   */
  tracker: string;
  /** Set when the upgrade carried a valid key (or auth is off); else the in-band `auth` message must come. */
  principal?: Principal;
  clientIp: string;
  requestId: string;
  path: string;
}

/**
 * The connection caps (MFN_WS_MAX_CONNECTIONS, MFN_WS_MAX_CONNECTIONS_PER_KEY). A slot is taken
 * when an upgrade is accepted, before the 101 goes out, and given back when the socket closes,
 * whether or not the upgrade completed, so a slot can neither leak nor be taken twice.
 */
@Injectable()
export class ConnectionRegistry {
  private readonly perTracker = new Map<string, number>();
  /** Connections waiting for their in-band `auth` (keys on, no X-API-Key at upgrade). */
  private pendingAuth = 0;
  private readonly pendingAdmissions = new WeakSet<Admission>();
  private readonly admissions = new WeakMap<IncomingMessage, Admission>();
  private total = 0;
  readonly maxTotal: number;
  readonly maxPerKey: number;

  constructor(config: AppConfig) {
    this.maxTotal = config.ws.maxConnections;
    this.maxPerKey = config.ws.maxConnectionsPerKey;
  }

  get size(): number {
    return this.total;
  }

  /** At most this many connections may wait for their in-band `auth` at once: half the process cap. */
  get maxPendingAuth(): number {
    return Math.max(1, Math.floor(this.maxTotal / 2));
  }

  /**
   * Why `tracker` cannot open one more connection now, or undefined when it can. Connections
   * without a principal yet (`pending`) may take only half the process cap, so callers without
   * a key cannot hold every slot and lock out those with one.
   */
  refusal(tracker: string, pending = false): 'global_cap' | 'pending_auth_cap' | 'key_cap' | undefined {
    if (this.total >= this.maxTotal) return 'global_cap';
    if (pending && this.pendingAuth >= this.maxPendingAuth) return 'pending_auth_cap';
    if ((this.perTracker.get(tracker) ?? 0) >= this.maxPerKey) return 'key_cap';
    return undefined;
  }

  /**
   * Takes a slot for the upgrade `req` (checked with refusal() just before, synchronously); false
   * when its socket is already gone (nothing is taken then).
   */
  reserve(req: IncomingMessage, admission: Admission): boolean {
    if (req.socket.destroyed) return false;
    this.total++;
    this.count(admission.tracker, 1);
    this.admissions.set(req, admission);
    if (admission.principal === undefined) {
      this.pendingAuth++;
      this.pendingAdmissions.add(admission);
    }
    req.socket.once('close', () => {
      this.total--;
      this.authenticated(admission);
      // The tracker at close time: an in-band `auth` may have moved the slot to its key.
      this.count(admission.tracker, -1);
    });
    return true;
  }

  /**
   * Moves a connection's slot to `tracker` (a key authenticated in-band); false, and nothing
   * moved, when that caller already holds its MFN_WS_MAX_CONNECTIONS_PER_KEY.
   */
  transfer(admission: Admission, tracker: string): boolean {
    if (admission.tracker === tracker) return true;
    if ((this.perTracker.get(tracker) ?? 0) >= this.maxPerKey) return false;
    this.authenticated(admission);
    this.count(admission.tracker, -1);
    this.count(tracker, 1);
    admission.tracker = tracker;
    return true;
  }

  /** The connection no longer waits for its in-band `auth` (it authenticated, or closed). */
  private authenticated(admission: Admission): void {
    if (!this.pendingAdmissions.delete(admission)) return;
    this.pendingAuth--;
  }

  private count(tracker: string, delta: number): void {
    const next = (this.perTracker.get(tracker) ?? 0) + delta;
    if (next <= 0) this.perTracker.delete(tracker);
    else this.perTracker.set(tracker, next);
  }

  admissionOf(req: IncomingMessage): Admission | undefined {
    return this.admissions.get(req);
  }
}
