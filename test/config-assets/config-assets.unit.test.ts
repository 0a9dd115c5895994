// The monitoring assets operators load into Prometheus and Grafana are held to docs/METRICS.md:
// every alert is complete and bilingual, every expression names only metrics the hub exposes
// (a renamed metric would otherwise silently never alert), keeps the labels its annotations
// use, and is at least well nested; the Grafana dashboard queries only documented metrics
// through its Prometheus data-source variable. (No PromQL parser or promtool here: the nesting
// and label checks are what catches the usual editing mistakes.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectPath } from '../../src/schemas.js';

interface Rule {
  alert?: unknown;
  record?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: { expr?: string; refId?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

/** Documented metric names with their type, from the tables of docs/METRICS.md. */
const documented = new Map(
  [...readFileSync(projectPath('docs', 'METRICS.md'), 'utf8').matchAll(/^\| `(penghubung_\w+)` \| (\w+) \|/gm)].map((m) => [m[1]!, m[2]!]),
);

/** Metric names an expression uses that docs/METRICS.md does not list (histogram series map to their histogram). */
function undocumentedMetrics(expr: string): string[] {
  const names = expr.match(/penghubung_[a-z0-9_]+/g) ?? [];
  return names.filter((name) => {
    if (documented.has(name)) return false;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    return !(base !== name && documented.get(base) === 'histogram');
  });
}

/** Why the brackets of an expression do not nest, or null; string literals are skipped. */
function nestingError(expr: string): string | null {
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = c === '`' ? expr.indexOf('`', i + 1) : findQuote(expr, i + 1, c);
      if (end < 0) return `unterminated string from offset ${i}`;
      i = end;
    } else if (c === '#') {
      const end = expr.indexOf('\n', i);
      i = end < 0 ? expr.length : end;
    } else if (c === '(' || c === '[' || c === '{') {
      stack.push(c);
    } else if (c in closing) {
      if (stack.pop() !== closing[c]) return `unexpected ${c} at offset ${i}`;
    }
  }
  return stack.length ? `unclosed ${stack.join('')}` : null;
}

function findQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/**
 * The labels an alert's result is sure to carry when the expression aggregates: those named in
 * every `by (...)` clause (null when nothing is aggregated, so the series keep their labels).
 */
function labelsKept(expr: string): Set<string> | null {
  const aggregations = [...expr.matchAll(/\b(sum|min|max|avg|count|group|stddev|stdvar|topk|bottomk|quantile)\s*(?:(by|without)\s*\(([^)]*)\))?\s*\(/g)];
  if (!aggregations.length) return null;
  let kept: string[] | undefined;
  for (const [, , modifier, list] of aggregations) {
    if (modifier === 'without') return null;
    const labels = (list ?? '').split(',').map((l) => l.trim()).filter(Boolean);
    kept = kept === undefined ? labels : kept.filter((l) => labels.includes(l));
  }
  return new Set(kept);
}

const duration = /^(\d+(ms|s|m|h|d|w|y))+$/;

describe('config/prometheus/alerts.yml', () => {
  const file = parseYaml(readFileSync(projectPath('config', 'prometheus', 'alerts.yml'), 'utf8')) as { groups?: { name?: unknown; rules?: Rule[] }[] };
  const groups = file.groups ?? [];
  const rules = groups.flatMap((group) => group.rules ?? []);

  it('is a rule file of named groups of alerting rules', () => {
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(typeof group.name).toBe('string');
      expect(group.rules?.length).toBeGreaterThan(0);
    }
    expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
  });

  it('gives every rule a unique name, an expression, a duration, a severity and a bilingual summary and description', () => {
    const problems: string[] = [];
    for (const rule of rules) {
      const name = String(rule.alert);
      if (typeof rule.alert !== 'string' || !/^[A-Z][A-Za-z0-9]+$/.test(rule.alert)) problems.push(`${name}: alert must be a CamelCase name`);
      if (typeof rule.expr !== 'string' || !rule.expr.trim()) problems.push(`${name}: expr missing`);
      if (typeof rule.for !== 'string' || !duration.test(rule.for)) problems.push(`${name}: for must be a duration such as 5m, not ${String(rule.for)}`);
      if (!['critical', 'warning', 'info'].includes(String(rule.labels?.severity))) problems.push(`${name}: labels.severity must be critical, warning or info`);
      const summary = rule.annotations?.summary;
      const description = rule.annotations?.description;
      if (typeof summary !== 'string' || !/\S \| \S/.test(summary)) problems.push(`${name}: annotations.summary must read "Bahasa Indonesia | English"`);
      if (typeof description !== 'string' || !/^ID: \S/m.test(description) || !/^EN: \S/m.test(description)) problems.push(`${name}: annotations.description needs an "ID:" and an "EN:" paragraph`);
      for (const text of [summary, description].filter((t): t is string => typeof t === 'string')) {
        if ((text.match(/\{\{/g) ?? []).length !== (text.match(/\}\}/g) ?? []).length) problems.push(`${name}: unbalanced {{ }} in an annotation`);
      }
    }
    expect(problems).toEqual([]);
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
  });

  it('uses only metrics documented in docs/METRICS.md, in well-nested expressions', () => {
    const problems: string[] = [];
    for (const rule of rules) {
      const expr = String(rule.expr);
      for (const metric of undocumentedMetrics(expr)) problems.push(`${String(rule.alert)}: ${metric} is not in docs/METRICS.md`);
      const nesting = nestingError(expr);
      if (nesting) problems.push(`${String(rule.alert)}: ${nesting}`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps, through its aggregations, every label its annotations print', () => {
    const problems: string[] = [];
    for (const rule of rules) {
      const kept = labelsKept(String(rule.expr));
      if (kept === null) continue;
      const used = new Set([...JSON.stringify(rule.annotations ?? {}).matchAll(/\$labels\.(\w+)/g)].map((m) => m[1]!));
      for (const label of used) if (!kept.has(label)) problems.push(`${String(rule.alert)}: prints $labels.${label}, which its aggregation drops`);
    }
    expect(problems).toEqual([]);
  });

  it('alerts on open circuits, a growing outbox, dead letters, silent connectors, exhausted quotas, publish failures and unhealthy webhook subscriptions', () => {
    const exprs = rules.map((r) => String(r.expr));
    const using = (pattern: RegExp): boolean => exprs.some((expr) => pattern.test(expr));
    expect(using(/penghubung_circuit_state\b[\s\S]*==\s*2/)).toBe(true);
    expect(using(/(deriv|increase|delta)\(penghubung_outbox_backlog\[/)).toBe(true);
    expect(using(/penghubung_dead_letters_parked\b[\s\S]*>\s*0/)).toBe(true);
    expect(using(/time\(\)\s*-[\s\S]*penghubung_connector_last_success_timestamp_seconds[\s\S]*>\s*3600/)).toBe(true);
    expect(using(/penghubung_upstream_quota_exhausted[\s\S]*==\s*1/)).toBe(true);
    expect(using(/penghubung_bus_publish_failures_total/)).toBe(true);
    expect(using(/penghubung_webhook_subscriptions\{state=~"paused\|failing"\}[\s\S]*>\s*0/)).toBe(true);
  });
});

describe('the checks above', () => {
  it('catch what they are there to catch', () => {
    expect(undocumentedMetrics('rate(penghubung_http_request_duration_seconds_bucket[5m]) + penghubung_no_such_metric')).toEqual(['penghubung_no_such_metric']);
    expect(undocumentedMetrics('penghubung_outbox_backlog_count')).toEqual(['penghubung_outbox_backlog_count']);
    expect(nestingError('sum by (a) (rate(x{b="(["}[5m]))')).toBeNull();
    expect(nestingError('sum(rate(x[5m))')).toMatch(/unexpected \)/);
    expect(nestingError('max(x{a="b"}')).toMatch(/unclosed \(/);
    expect(labelsKept('sum(rate(x[5m])) > 0')).toEqual(new Set());
    expect(labelsKept('max by (connector) (max_over_time(x[1m])) == 2')).toEqual(new Set(['connector']));
    expect(labelsKept('rate(x[5m]) > 0')).toBeNull();
  });
});

describe('config/grafana/dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(projectPath('config', 'grafana', 'dashboard.json'), 'utf8')) as {
    uid?: string; title?: string; schemaVersion?: number; panels?: Panel[];
    templating?: { list?: { name: string; type: string; query?: unknown }[] };
  };
  const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  const queryPanels = panels.filter((p) => p.type !== 'row');
  const exprs = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title ?? String(p.id), expr: t.expr ?? '' })));

  it('is a Grafana dashboard with a Prometheus data-source variable that every panel uses', () => {
    expect(dashboard.uid).toBe('penghubung');
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const variable = dashboard.templating?.list?.find((v) => v.type === 'datasource');
    expect(variable).toMatchObject({ name: 'datasource', query: 'prometheus' });
    expect(queryPanels.length).toBeGreaterThanOrEqual(8);
    for (const panel of queryPanels) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({ panel: panel.title, uid: '${datasource}' });
      expect(panel.targets?.length, `${panel.title} has targets`).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.refId).toMatch(/^[A-Z]$/);
    }
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) expect(panel.gridPos!.x + panel.gridPos!.w).toBeLessThanOrEqual(24);
  });

  it('queries only documented metrics, in well-nested expressions', () => {
    const problems: string[] = [];
    for (const { panel, expr } of exprs) {
      if (!/penghubung_/.test(expr)) problems.push(`${panel}: queries no penghubung_ metric`);
      for (const metric of undocumentedMetrics(expr)) problems.push(`${panel}: ${metric} is not in docs/METRICS.md`);
      const nesting = nestingError(expr);
      if (nesting) problems.push(`${panel}: ${nesting}`);
    }
    expect(problems).toEqual([]);
  });

  it('shows HTTP rate and latency, upstream outcomes and p95, circuits, the outbox, dead letters, Kafka latency and memory', () => {
    const all = exprs.map((e) => e.expr).join('\n');
    for (const pattern of [
      /rate\(penghubung_http_requests_total\[/,
      /histogram_quantile\(0\.95, sum by \(le, route\) \(rate\(penghubung_http_request_duration_seconds_bucket/,
      /sum by \(connector, outcome\) \(rate\(penghubung_upstream_requests_total/,
      /histogram_quantile\(0\.95, sum by \(le, connector\) \(rate\(penghubung_upstream_request_duration_seconds_bucket/,
      /penghubung_circuit_state/,
      /penghubung_outbox_backlog/,
      /penghubung_dead_letters_parked\b/,
      /penghubung_bus_publish_duration_seconds_bucket\{bus="kafka"\}/,
      /penghubung_process_resident_memory_bytes/,
    ]) expect(all).toMatch(pattern);
  });
});

describe('config/grafana/provisioning', () => {
  it('provisions the Prometheus data source and the dashboard folder', () => {
    const root = projectPath('config', 'grafana', 'provisioning');
    const read = (dir: string): Record<string, unknown>[] => readdirSync(join(root, dir)).map((f) => parseYaml(readFileSync(join(root, dir, f), 'utf8')) as Record<string, unknown>);
    expect(read('datasources').flatMap((f) => f.datasources as { type: string }[])).toContainEqual(expect.objectContaining({ type: 'prometheus' }));
    expect(read('dashboards').flatMap((f) => f.providers as { type: string }[])).toContainEqual(expect.objectContaining({ type: 'file' }));
  });
});
