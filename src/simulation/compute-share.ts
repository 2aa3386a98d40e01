/**
 * Compute tasks each caller has admitted and not yet settled (running or queued), against a cap
 * per caller (MFN_COMPUTE_MAX_PER_KEY). In process memory: the pool it shares out is this
 * replica's. Only callers with a task in flight have an entry, so the map never holds more
 * entries than there are admitted requests.
 */
export class ComputeShare {
  private readonly held = new Map<string, number>();
  private admitted = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('the per-caller compute share must be an integer >= 1');
  }

  /** Tasks admitted for every caller together. */
  get total(): number {
    return this.admitted;
  }

  /** Callers with at least one task in flight. */
  get callers(): number {
    return this.held.size;
  }

  inFlightOf(caller: string): number {
    return this.held.get(caller) ?? 0;
  }

  /**
   * Takes one slot of `caller`'s share. Returns the function that gives it back (calling it
   * again does nothing), or undefined when the caller already holds `limit` slots.
   */
  tryAcquire(caller: string): (() => void) | undefined {
    const held = this.inFlightOf(caller);
    if (held >= this.limit) return undefined;
    this.held.set(caller, held + 1);
    this.admitted++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.admitted--;
      const left = this.inFlightOf(caller) - 1;
      if (left > 0) this.held.set(caller, left);
      else this.held.delete(caller);
    };
  }
}
