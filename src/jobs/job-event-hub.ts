import { Injectable } from '@nestjs/common';

type Listener = () => void;

/** Event streams open at once in one process; more are refused with 503. */
export const MAX_WATCHERS = 1000;
/** Event streams one tenant may hold open at once in one process, so it cannot take all of them. */
export const MAX_WATCHERS_PER_TENANT = 100;

/**
 * "Job X changed" notices inside one process, for the SSE streams: the stores (or the queue's
 * event stream) call notify, each open stream re-reads its job. Carries no job data, so a notice
 * can never reach another tenant's stream with content.
 */
@Injectable()
export class JobEventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private count = 0;
  private readonly perTenant = new Map<string, number>();

  notify(id: string): void {
    for (const listener of this.listeners.get(id) ?? []) listener();
  }

  get full(): boolean {
    return this.count >= MAX_WATCHERS;
  }

  /** Whether `tenant` already holds its share of the streams. */
  fullFor(tenant: string): boolean {
    return (this.perTenant.get(tenant) ?? 0) >= MAX_WATCHERS_PER_TENANT;
  }

  /** Calls `listener` on every notice for `id` (a job of `tenant`) until the returned function is called. */
  watch(id: string, tenant: string, listener: Listener): () => void {
    let set = this.listeners.get(id);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(id, set);
    }
    set.add(listener);
    this.count++;
    this.perTenant.set(tenant, (this.perTenant.get(tenant) ?? 0) + 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.count--;
      const left = (this.perTenant.get(tenant) ?? 1) - 1;
      if (left > 0) this.perTenant.set(tenant, left);
      else this.perTenant.delete(tenant);
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }
}
