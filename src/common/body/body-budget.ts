import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config';

export type BodyReservation = 'reserved' | 'over_share' | 'full';

/** One caller may hold at most this part of the budget, so one key cannot block every upload. */
const CALLER_SHARE = 4;

/**
 * Bounds the bytes of request bodies being read, parsed or held by requests in flight, so that
 * concurrent large uploads cannot take the process past its memory limit. Each body reserves its
 * announced length (or the most it may inflate to) before a byte is read and gives it back when
 * its response is done. A body that does not fit while others hold the budget is refused (503,
 * retry shortly), and so is one that would take its caller past a quarter of the budget (429, the
 * caller's own limit); one body alone is always admitted, so a route limit above the budget still
 * works.
 */
@Injectable()
export class BodyBudget {
  private used = 0;
  private readonly capacity: number;
  private readonly byCaller = new Map<string, number>();

  constructor(config: AppConfig) {
    this.capacity = config.http.bodyInflightBytes;
  }

  /** Reserves `bytes` for `caller`, or says why not. */
  tryReserve(caller: string, bytes: number): BodyReservation {
    const held = this.byCaller.get(caller) ?? 0;
    if (held > 0 && held + bytes > this.capacity / CALLER_SHARE) return 'over_share';
    if (this.used > 0 && this.used + bytes > this.capacity) return 'full';
    this.used += bytes;
    this.byCaller.set(caller, held + bytes);
    return 'reserved';
  }

  release(caller: string, bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
    const left = (this.byCaller.get(caller) ?? 0) - bytes;
    if (left > 0) this.byCaller.set(caller, left);
    else this.byCaller.delete(caller);
  }

  /** Bytes reserved right now (diagnostics and tests). */
  get inUse(): number {
    return this.used;
  }
}
