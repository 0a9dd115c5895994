// CPU accounting from /proc (Linux): what each of our processes and the whole machine used
// during a measurement. CPU time per request is much steadier than requests per second on a
// shared machine: it says what a request costs, not how much CPU was left over for it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) a process has used so far, in ms; undefined off Linux or when it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

/** CPU time of the whole machine so far (all cores), busy and in total, in ms. */
function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
    const busy = user + nice + system + irq + softirq + steal;
    const tick = 1000 / clockTicks();
    return { busy: busy * tick, total: (busy + idle + iowait) * tick };
  } catch {
    return undefined;
  }
}

export interface CpuUse {
  /** ms of CPU per process label, over the window. */
  processes: Record<string, number>;
  /** ms of CPU of this process (the load generator). */
  loadGenerator: number;
  /** ms of CPU the whole machine had (cores × wall time) and used. */
  machineTotal: number;
  machineBusy: number;
  /** ms of CPU used by everything that is not ours (other engineers' tests, the OS). */
  others: number;
  /** `others` as a share of the machine (0–1): how much of it the run did not have. */
  othersShare: number;
}

/** Starts a window over the whole machine's CPU; the function returned ends it: the busy and total ms in between (NaN off Linux). */
export function machineWindow(): () => { busy: number; total: number } {
  const before = machineCpuMs();
  return () => {
    const after = machineCpuMs();
    return before && after ? { busy: after.busy - before.busy, total: after.total - before.total } : { busy: NaN, total: NaN };
  };
}

/** The share (0–1) of a window's machine CPU (`machine`: busy and total ms) that processes other than ours (`oursMs`) used; NaN when unknown. */
export function othersShareOf(machine: { busy: number; total: number }, oursMs: number): number {
  return machine.total > 0 ? Math.max(0, machine.busy - oursMs) / machine.total : NaN;
}

/** Starts a window over `pids` (label → pid); the function returned ends it. */
export function cpuWindow(pids: Record<string, number>): () => CpuUse {
  const before = Object.fromEntries(Object.entries(pids).map(([label, pid]) => [label, processCpuMs(pid) ?? NaN]));
  const self = process.cpuUsage();
  const machineDuring = machineWindow();
  return () => {
    const processes = Object.fromEntries(Object.entries(pids).map(([label, pid]) => [label, (processCpuMs(pid) ?? NaN) - before[label]!]));
    const used = process.cpuUsage(self);
    const loadGenerator = (used.user + used.system) / 1000;
    const machine = machineDuring();
    const ours = loadGenerator + Object.values(processes).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    return { processes, loadGenerator, machineTotal: machine.total, machineBusy: machine.busy, others: Math.max(0, machine.busy - ours), othersShare: othersShareOf(machine, ours) };
  };
}

/** The pid of a process whose command line contains `text` (e.g. a Kafka broker's properties file). */
export function findPid(text: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}
