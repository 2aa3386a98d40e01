/**
 * Bounds the log queue. pino's asynchronous destination queues every line it cannot write at
 * once, and under sustained load (a busy turn logs more than one completed write carries) that
 * queue grew without bound until the heap ran out; a synchronous destination writing line by
 * line cost more than formatting the lines (SonicBoom re-measures the byte length of its whole
 * pending buffer on every write it receives). So the lines written during one turn of the event
 * loop are collected here and handed to a synchronous destination as one chunk, at the end of
 * that turn (setImmediate) or as soon as `maxChars` are waiting: at most one turn's lines (or
 * `maxChars`) are ever held, a line is out within the turn it was logged in, and a stdout that
 * cannot keep up slows the service down instead of growing its heap (see logger.factory.ts).
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

/** Where batches go: pino's SonicBoom destination (or any stream with the same write/flush). */
export interface BatchTarget {
  write(chunk: string): boolean;
  flushSync?(): void;
}
