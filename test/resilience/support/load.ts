import type { WireOutcome } from './wire-client';

/** One request of a load run: what was asked, in which phase of the test, and what came back. */
export interface LoadSample {
  lane: number;
  /** What the request was (e.g. `nernst`, `encrypt`), for assertions per kind. */
  kind: string;
  /** The phase the test was in when the request was sent. */
  phase: string;
  /** The phase when its answer arrived (requests in flight at a switch straddle two phases). */
  answeredIn: string;
  outcome: WireOutcome;
}

export type LoadRequest = (lane: number, seq: number) => Promise<{ kind: string; outcome: WireOutcome }>;

/**
 * Closed-loop load: `lanes` clients, each sending its next request as soon as the previous one is
 * answered, until stopped. The test moves it through named phases (before / during a fault /
 * after) and asserts on the samples per phase.
 */
export class LoadRun {
  readonly samples: LoadSample[] = [];
  private phaseName: string;
  private running = true;
  private readonly lanes: Promise<void>[];

  constructor(lanes: number, request: LoadRequest, phase = 'before') {
    this.phaseName = phase;
    this.lanes = Array.from({ length: lanes }, (_, lane) => this.lane(lane, request));
  }

  get phase(): string {
    return this.phaseName;
  }

  set phase(name: string) {
    this.phaseName = name;
  }

  /** Samples sent in `phase` (optionally of one kind). */
  inPhase(phase: string, kind?: string): LoadSample[] {
    return this.samples.filter((s) => s.phase === phase && (kind === undefined || s.kind === kind));
  }

  /** Samples sent and answered within `phase`: none of them straddles a switch. */
  within(phase: string, kind?: string): LoadSample[] {
    return this.inPhase(phase, kind).filter((s) => s.answeredIn === phase);
  }

  /** Waits until `count` more samples have been answered in the current phase. */
  async answered(count: number, timeoutMs = 30_000): Promise<void> {
    const target = this.inPhase(this.phaseName).length + count;
    const deadline = Date.now() + timeoutMs;
    while (this.inPhase(this.phaseName).length < target) {
      if (Date.now() > deadline) throw new Error(`load: fewer than ${count} answers in phase ${this.phaseName}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<LoadSample[]> {
    this.running = false;
    await Promise.all(this.lanes);
    return this.samples;
  }

  private async lane(lane: number, request: LoadRequest): Promise<void> {
    for (let seq = 0; this.running; seq++) {
      const phase = this.phaseName;
      const { kind, outcome } = await request(lane, seq);
      this.samples.push({ lane, kind, phase, answeredIn: this.phaseName, outcome });
    }
  }
}

/** The parsed JSON body of an answer, or undefined. */
export function bodyOf(outcome: WireOutcome): Record<string, unknown> | undefined {
  try {
    return JSON.parse(outcome.text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export { until } from '../../helpers/until';
