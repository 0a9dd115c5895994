// autocannon, run in this process (the load generator shares the machine's cores with the
// servers it measures), with its result boiled down to what the reports need.
import { PassThrough } from 'node:stream';
import autocannon from 'autocannon';

export interface LoadSummary {
  label: string;
  connections: number;
  durationS: number;
  /** autocannon's mean of the per-second request counts (every answer, whatever its status). */
  requestsPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx answers per second over the whole run. */
  okPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  statusCodes: Record<string, number>;
  /** autocannon's own printout (tables and summary lines), uncoloured. */
  printout: string;
  raw: autocannon.Result;
}

export type LoadOptions = autocannon.Options & { label: string };

export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const { label, ...rest } = options;
  const result = await autocannon({ ...rest, url: rest.url });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (stats as { count: number }).count;
  const plain = new PassThrough();
  const printout = autocannon.printResult(result, { outputStream: plain as unknown as NodeJS.WritableStream, renderLatencyTable: false, renderResultsTable: true });
  const latency = result.latency as autocannon.Histogram & { p90: number; p99_9: number };
  return {
    label,
    connections: rest.connections ?? 10,
    durationS: result.duration,
    requestsPerSec: result.requests.average,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    okPerSec: result['2xx'] / result.duration,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, p999: latency.p99_9, max: latency.max, mean: latency.average },
    statusCodes,
    printout,
    raw: result,
  };
}

/** Problems that make a run's figure untrustworthy (non-2xx answers, socket errors). */
export function failures(summary: LoadSummary): string | undefined {
  if (summary.non2xx === 0 && summary.errors === 0) return undefined;
  const codes = Object.entries(summary.statusCodes).filter(([code]) => !code.startsWith('2')).map(([code, count]) => `${count}×${code}`);
  return `${summary.label}: ${summary.non2xx} non-2xx (${codes.join(', ') || 'none'}), ${summary.errors} errors (${summary.timeouts} timeouts)`;
}
