import { Injectable } from '@nestjs/common';

type Listener = () => void;

/** Event streams open at once in one process; more are refused with 503. */
export const MAX_WATCHERS = 1000;

/**
 * "Job X changed" notices inside one process, for the SSE streams: the stores (or the queue's
 * event stream) call notify, each open stream re-reads its job. Carries no job data, so a notice
 * can never reach another tenant's stream with content.
 */
@Injectable()
export class JobEventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private count = 0;

  notify(id: string): void {
    for (const listener of this.listeners.get(id) ?? []) listener();
  }

  get full(): boolean {
    return this.count >= MAX_WATCHERS;
  }

  /** Calls `listener` on every notice for `id` until the returned function is called. */
  watch(id: string, listener: Listener): () => void {
    let set = this.listeners.get(id);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(id, set);
    }
    set.add(listener);
    this.count++;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.count--;
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }
}
