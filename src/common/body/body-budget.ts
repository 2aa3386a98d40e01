import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config';

/**
 * Bounds the bytes of request bodies being read, parsed or held by requests in flight, so that
 * concurrent large uploads cannot take the process past its memory limit. Each body reserves its
 * announced length (or the most it may inflate to) before a byte is read and gives it back when
 * its response is done. A body that does not fit while others hold the budget is refused (503,
 * retry shortly); one body alone is always admitted, so a route limit above the budget still works.
 */
@Injectable()
export class BodyBudget {
  private used = 0;
  private readonly capacity: number;

  constructor(config: AppConfig) {
    this.capacity = config.http.bodyInflightBytes;
  }

  /** Reserves `bytes`; false when they do not fit beside the bodies already admitted. */
  tryReserve(bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /** Bytes reserved right now (diagnostics and tests). */
  get inUse(): number {
    return this.used;
  }
}
