import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config';
import type { Principal } from '../auth/principal';

/** What the upgrade decided about a connection, kept for its session. */
export interface Admission {
  /** `key:<id>` for a key presented at upgrade, else `ip:<address>`: the caps and compute share count against it. */
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

  /** Why `tracker` cannot open one more connection now, or undefined when it can. */
  refusal(tracker: string): 'global_cap' | 'key_cap' | undefined {
    if (this.total >= this.maxTotal) return 'global_cap';
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
    this.perTracker.set(admission.tracker, (this.perTracker.get(admission.tracker) ?? 0) + 1);
    this.admissions.set(req, admission);
    req.socket.once('close', () => {
      this.total--;
      const left = (this.perTracker.get(admission.tracker) ?? 1) - 1;
      if (left <= 0) this.perTracker.delete(admission.tracker);
      else this.perTracker.set(admission.tracker, left);
    });
    return true;
  }

  admissionOf(req: IncomingMessage): Admission | undefined {
    return this.admissions.get(req);
  }
}
