/** Where batches go: pino's SonicBoom destination (or any stream with the same write/flush). */
export interface BatchTarget {
  write(chunk: string): boolean;
  flushSync?(): void;
}

/**
 * Collects the log lines written during one turn of the event loop and hands them to the
 * destination as one chunk, at the end of that turn (setImmediate) or as soon as `maxChars` are
 * waiting. A line is therefore out within the same turn it was logged in, while a busy server
 * writes a few large chunks instead of one per line: SonicBoom re-measures the byte length of
 * its whole pending buffer on every write it receives, which made small writes cost more than
 * formatting the line.
 */
export class LineBatchStream {
  private lines: string[] = [];
  private chars = 0;
  private scheduled = false;

  constructor(
    private readonly target: BatchTarget,
    private readonly maxChars = 16_384,
  ) {}

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.maxChars) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.endOfTurn);
    }
    return true;
  }

  /** Hands every waiting line to the destination now. */
  flush(): void {
    if (this.lines.length === 0) return;
    const chunk = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.target.write(chunk);
  }

  /** Flushes, then has the destination write everything it holds before returning (process exit). */
  flushSync(): void {
    this.flush();
    this.target.flushSync?.();
  }

  private readonly endOfTurn = (): void => {
    this.scheduled = false;
    this.flush();
  };
}
