import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartDir } from '@portal/deploy/chart-parameters';
import { createProcessMetrics, exportedSeriesNames, portalMetrics } from '@portal/kit';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { query?: string | { query: string } }[] };
}

const dashboard = JSON.parse(readFileSync(join(chartDir, 'dashboards', 'customer-portal.json'), 'utf8')) as Dashboard;
const expressions = [
  ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
  ...dashboard.templating.list.flatMap((variable) =>
    typeof variable.query === 'object' ? [variable.query.query] : [],
  ),
];

/** Every series a process can show: the catalog's (histograms with their suffixes) and prom-client's defaults. */
async function seriesAProcessExports(): Promise<Set<string>> {
  const metrics = createProcessMetrics();
  metrics.observeRequest('/', 'GET', 200, 0.001);
  const names = new Set(exportedSeriesNames());
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    for (const sample of metric.values as { metricName?: string }[]) names.add(sample.metricName ?? metric.name);
  }
  return names;
}

describe('the Grafana dashboard (charts/customer-portal/dashboards/customer-portal.json)', () => {
  it('queries only series the processes export', async () => {
    const exported = await seriesAProcessExports();
    // A selector (`name{`) or any token of the portal's and prom-client's families.
    const queried = new Set(
      expressions.flatMap((expr) => [
        ...[...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((match) => match[1] as string),
        ...(expr.match(/\b(?:portal|process|nodejs)_[a-z0-9_]+/g) ?? []),
      ]),
    );
    expect(queried.size).toBeGreaterThan(10);
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('shows the outbox backlog, consumer lag, dead letters, SSE connections, and rates, latencies and errors per action and route', () => {
    const used = (name: string) => expressions.some((expr) => expr.includes(name));
    for (const spec of [
      portalMetrics.outboxUnpublished,
      portalMetrics.consumerPending,
      portalMetrics.consumerDeadLetters,
      portalMetrics.sseConnections,
      portalMetrics.actionCalls,
      portalMetrics.actionErrors,
      portalMetrics.httpRequests,
    ]) {
      expect(used(spec.name), spec.name).toBe(true);
    }
    for (const histogram of [portalMetrics.actionDuration, portalMetrics.httpDuration]) {
      for (const quantile of ['0.95', '0.99']) {
        expect(
          expressions.some((expr) => expr.includes(`histogram_quantile(${quantile}`) && expr.includes(histogram.name)),
          `${histogram.name} p${quantile.slice(2)}`,
        ).toBe(true);
      }
    }
  });

  it('groups only by labels the series carry', () => {
    const labelsOf = new Map<string, readonly string[]>(
      Object.values(portalMetrics).map((spec) => [spec.name, spec.labels]),
    );
    // Target labels Prometheus adds to every series, and the histograms' bucket bound.
    const targetLabels = ['namespace', 'pod', 'le'];
    for (const expr of expressions) {
      const portalNames = expr.match(/\bportal_[a-z0-9_]+/g) ?? [];
      const carried = new Set([
        ...targetLabels,
        ...portalNames.flatMap(
          (name) => labelsOf.get(name.replace(/_(bucket|sum|count)$/, '')) ?? labelsOf.get(name) ?? [],
        ),
      ]);
      if (portalNames.length === 0) continue;
      const grouped = [...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((match) =>
        (match[1] ?? '').split(',').map((label) => label.trim()),
      );
      const matched = [...expr.matchAll(/[{,]\s*([a-z_]+)\s*=~?/g)].map((match) => match[1] as string);
      expect(
        [...grouped, ...matched].filter((label) => !carried.has(label)),
        expr,
      ).toEqual([]);
    }
  });
});
