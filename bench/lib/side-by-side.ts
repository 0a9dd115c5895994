// Before and after side by side: this tree's hub and BENCH_BEFORE_TREE's loaded at the same
// time, half the connections each, so whatever else the machine does weighs on both alike; each
// process's CPU over the window divided by the units (requests, events) it answered for. The
// query and ingest benchmarks say only how they load a hub and what it still owes after a load.
import type { LoadSummary } from './load.js';
import { cpuWindow } from './cpu.js';
import type { Child } from './proc.js';
import { log, num, percent, ratio, table } from './report.js';

export interface SideBySideRound {
  round: number;
  /** CPU ms per unit: this tree's hub, the earlier one. */
  after: number;
  before: number;
  /** Units per second of load. */
  afterRate: number;
  beforeRate: number;
  othersShare: number;
}

export interface SideBySideOptions {
  hubs: { after: Child; before: Child };
  rounds: number;
  warmupS: number;
  seconds: number;
  /** One hub's share of the load (half the connections), for `seconds`. */
  load: (hub: Child, seconds: number, label: string) => Promise<LoadSummary>;
  /** The units a load's answers stand for (requests; events, 100 to a batched POST). */
  units: (summary: LoadSummary) => number;
  /** What a hub still does for a load once it ends (the outbox draining): awaited before and after each round, inside the CPU window. */
  settle?: (hub: Child) => Promise<unknown>;
  unit: SideBySideUnit;
}

/** How the log and the table name a unit and its cost. */
export interface SideBySideUnit {
  /** CPU ms per unit, formatted ("0.412 ms", "282 µs"). */
  cost: (ms: number) => string;
  /** The unit ("request", "event") and its rate ("req/s", "events/s"). */
  per: string;
  rate: string;
}

export async function sideBySide(options: SideBySideOptions): Promise<SideBySideRound[]> {
  const { after, before } = options.hubs;
  const both = <T>(work: (hub: Child, which: 'after' | 'before') => Promise<T>): Promise<[T, T]> => Promise.all([work(after, 'after'), work(before, 'before')]);
  const settle = async (): Promise<void> => {
    if (options.settle) await both((hub) => options.settle!(hub));
  };
  if (options.warmupS > 0) await both((hub, which) => options.load(hub, options.warmupS, `${which}, warm-up`));
  const rounds: SideBySideRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    await settle();
    const stop = cpuWindow({ after: after.pid, before: before.pid });
    const [a, b] = await both((hub, which) => options.load(hub, options.seconds, `${which}, side by side`));
    await settle();
    const cpu = stop();
    const row: SideBySideRound = {
      round,
      after: cpu.processes.after! / options.units(a),
      before: cpu.processes.before! / options.units(b),
      afterRate: options.units(a) / a.durationS,
      beforeRate: options.units(b) / b.durationS,
      othersShare: cpu.othersShare,
    };
    const { cost, per, rate } = options.unit;
    log(`  round ${round}: after ${cost(row.after)} per ${per} (${num(row.afterRate)} ${rate}), before ${cost(row.before)} (${num(row.beforeRate)} ${rate}): ${ratio(row.after, row.before)}; others used ${percent(row.othersShare)}`);
    rounds.push(row);
  }
  return rounds;
}

/** The rounds as a table; `path` names what each row loaded when a bench compares several. */
export function sideBySideTable(rows: (SideBySideRound & { path?: string })[], unit: SideBySideUnit): string {
  const withPath = rows.some((r) => r.path !== undefined);
  return table(
    [...(withPath ? ['path'] : []), 'round', `after: CPU per ${unit.per}`, 'before', 'after ÷ before', `after ${unit.rate}`, `before ${unit.rate}`, 'others\' share of the machine'],
    rows.map((r) => [...(withPath ? [r.path ?? ''] : []), String(r.round), unit.cost(r.after), unit.cost(r.before), `**${ratio(r.after, r.before)}**`, num(r.afterRate), num(r.beforeRate), percent(r.othersShare)]),
  );
}
