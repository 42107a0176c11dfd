import type { Metric, Registry } from 'prom-client';
import type { MetricSpec } from './metric-catalog.ts';

/**
 * One action's calls and durations in plain numbers. Every call passes through here, so a call
 * costs a few additions on preallocated numbers: no label object, no hash string, nothing for the
 * garbage collector. The figures become series only when Prometheus scrapes.
 */
export class ActionFigures {
  calls = 0;
  /** Finished calls (the histogram's `_count`); `calls` also counts the ones still running. */
  observed = 0;
  sumSeconds = 0;
  /** Observations per bucket, not cumulative; the last slot is above the highest bound. */
  readonly bucketCounts: Float64Array;
  readonly labels: Readonly<{ service: string; action: string }>;
  readonly #bounds: readonly number[];

  constructor(labels: Readonly<{ service: string; action: string }>, bounds: readonly number[]) {
    this.labels = labels;
    this.#bounds = bounds;
    this.bucketCounts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    this.observed += 1;
    this.sumSeconds += seconds;
    let bucket = 0;
    const bounds = this.#bounds;
    while (bucket < bounds.length && seconds > (bounds[bucket] as number)) bucket += 1;
    this.bucketCounts[bucket] = (this.bucketCounts[bucket] ?? 0) + 1;
  }
}

type Sample = { value: number; labels: Record<string, string | number>; metricName?: string };

/**
 * A series prom-client's registry writes like its own: the registry reads `name`, `help`, `type`
 * and awaits `get()` (the contract of prom-client 15, pinned; the unit tests read it back).
 */
function registerComputed(registry: Registry, spec: MetricSpec, samples: () => Sample[]): void {
  const metric = {
    name: spec.name,
    help: spec.help,
    type: spec.type,
    aggregator: 'sum',
    collect: () => undefined,
    get: async () => ({ name: spec.name, help: spec.help, type: spec.type, aggregator: 'sum', values: samples() }),
  };
  registry.registerMetric(metric as unknown as Metric);
}

/** The action calls counter and duration histogram, computed from each action's figures at scrape time. */
export function registerActionSeries(
  registry: Registry,
  specs: { calls: MetricSpec; duration: MetricSpec },
  bounds: readonly number[],
): (labels: { service: string; action: string }) => ActionFigures {
  const all: ActionFigures[] = [];
  // Actions never called stay out of the scrape: a process registers many more than it serves.
  const called = () => all.filter((figures) => figures.calls > 0);
  registerComputed(registry, specs.calls, () =>
    called().map((figures) => ({ labels: { ...figures.labels }, value: figures.calls })),
  );
  registerComputed(registry, specs.duration, () =>
    called().flatMap((figures) => {
      let cumulative = 0;
      const buckets: Sample[] = bounds.map((le, index) => {
        cumulative += figures.bucketCounts[index] ?? 0;
        return { metricName: `${specs.duration.name}_bucket`, labels: { ...figures.labels, le }, value: cumulative };
      });
      return [
        ...buckets,
        {
          metricName: `${specs.duration.name}_bucket`,
          labels: { ...figures.labels, le: '+Inf' },
          value: figures.observed,
        },
        { metricName: `${specs.duration.name}_sum`, labels: { ...figures.labels }, value: figures.sumSeconds },
        { metricName: `${specs.duration.name}_count`, labels: { ...figures.labels }, value: figures.observed },
      ];
    }),
  );
  return (labels) => {
    const figures = new ActionFigures(labels, bounds);
    all.push(figures);
    return figures;
  };
}
