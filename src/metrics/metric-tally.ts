import type { Counter, Gauge } from 'prom-client';

/** One label set of a tallied series and its plain number. */
export interface TallyEntry<L extends string> {
  readonly labels: Record<L, string>;
  value: number;
}

/**
 * The one batching mechanism of the hot-path series: requests touch plain numbers per label set,
 * and the series' `collect()` hook (which prom-client runs at every scrape and every `get()`)
 * hands them to prom-client. Updating prom-client per request validates, sorts and joins the
 * labels on every call, three times per request for the HTTP series; the guarded /nernst bench
 * (`npm run bench`) shows that cost, so these series are tallied and the rare ones are not.
 *
 * Tallies are process-wide, like the registry: apps built in one process share the metrics, and
 * the first app's metric (with its collect hook) serves them all.
 */
export class MetricTally<L extends string> {
  private readonly entries = new Map<string, TallyEntry<L>>();

  /** The entry of a label set, made on first use; `key` stands for exactly these labels. */
  entry(key: string, labels: () => Record<L, string>): TallyEntry<L> {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { labels: labels(), value: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** For a counter: adds what each label set counted since the last scrape. */
  flushInto(counter: Counter<L>): void {
    for (const entry of this.entries.values()) {
      if (entry.value === 0) continue;
      counter.inc(entry.labels, entry.value);
      entry.value = 0;
    }
  }

  /** For a gauge: the current level of each label set. */
  setInto(gauge: Gauge<L>): void {
    for (const entry of this.entries.values()) gauge.set(entry.labels, entry.value);
  }
}

/** Route labels carry the route template under both names: `route` and `endpoint` (the previous service's name). */
export type RouteLabels = 'route' | 'endpoint';

/** Finished HTTP requests by method, route template and status. Bounded: methods × templates × statuses. */
export const HTTP_REQUESTS = new MetricTally<'method' | 'status' | RouteLabels>();

/** HTTP requests being served, by method and route template. */
export const HTTP_IN_PROGRESS = new MetricTally<'method' | RouteLabels>();

/** Crypto operations by operation and outcome; bounded by that vocabulary. */
export const CRYPTO_OPERATIONS = new MetricTally<'operation' | 'success'>();
