import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../../audit/audit.service';
import { AppException, ROOT_LOGGER } from '../../common';
import { AppConfig } from '../../config';
import { KeyIntegrityError } from '../crypto.errors';
import { KEY_CLOCK, KeyClock } from './key-clock';
import { KeyLifecycle } from './key-lifecycle.service';
import { KeyRecords } from './key-records.service';
import { KeyRef } from './key-types';

/** Due keys read from the store at a time; a pass reads page after page until none are left. */
export const ROTATION_BATCH = 100;

/**
 * Rotates keys whose `auto_rotate_period` has passed, without a request. Every replica runs the
 * same pass; the rotation commits only on top of the revision it read and re-checks that it is
 * still due, so each due rotation happens once across replicas.
 */
@Injectable()
export class AutoRotation implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly config: AppConfig,
    private readonly records: KeyRecords,
    private readonly lifecycle: KeyLifecycle,
    private readonly audit: AuditService,
    @Inject(KEY_CLOCK) private readonly clock: KeyClock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.crypto.rotation' });
  }

  onApplicationBootstrap(): void {
    const every = this.config.crypto.autoRotateCheckSeconds;
    if (!this.config.crypto.enabled || every === 0) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), every * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass: rotates what is due now; resolves with the number of keys this replica rotated. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Walks every due key, a page at a time. A key that rotates leaves the due range; one that does
   * not (refused by a quota or the version cap, or failing its integrity check) stays in it and is
   * paged past, so keys that cannot rotate never hold up the ones due after them. A key another
   * replica rotated meanwhile is paged past too, so at worst one due key waits for the next pass.
   */
  private async pass(): Promise<number> {
    const now = this.clock.now();
    let rotated = 0;
    let skip = 0;
    for (;;) {
      let due: KeyRef[];
      try {
        due = await this.records.dueForRotation(now, ROTATION_BATCH, skip);
      } catch {
        return rotated;
      }
      for (const ref of due) {
        if (await this.rotateOne(ref, now)) rotated++;
        else skip++;
      }
      if (due.length < ROTATION_BATCH) return rotated;
    }
  }

  private async rotateOne(ref: KeyRef, now: number): Promise<boolean> {
    try {
      const description = await this.lifecycle.rotateIfDue(ref, now);
      if (!description) return false;
      this.audit.record({
        action: 'key_rotated',
        category: 'configuration',
        severity: 'INFO',
        success: true,
        details: { tenant: ref.tenant, key_id: ref.id, version: description.latest_version, automatic: true },
      });
      return true;
    } catch (err) {
      const reason = err instanceof KeyIntegrityError ? 'integrity' : err instanceof AppException ? err.code : 'error';
      this.log.warn({ tenant: ref.tenant, key_id: ref.id, reason }, 'automatic key rotation failed; retried on the next pass');
      if (err instanceof KeyIntegrityError) {
        this.audit.record({
          action: 'key_record_tampered',
          category: 'security',
          severity: 'ERROR',
          success: false,
          details: { tenant: ref.tenant, key_id: ref.id, reason: err.reason },
        });
      }
      return false;
    }
  }
}
