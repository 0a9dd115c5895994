// The sandbox hub as `npm start` runs it for a new developer (a child process on the default
// configuration: sandbox mode, the demo clients of config/clients.yaml, pollers on, the embedded
// bus), and what it prints at start: the demo clients' keys and the examples per client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { spawnHub, type HubProcess } from '../faults/fault-support.js';
import { waitFor } from './wait.js';

export interface SandboxHub {
  process: HubProcess;
  url: string;
  /** The start-up guide, as printed on stderr. */
  guide: string;
  /** Demo client id → the key printed for it. */
  keys: Record<string, string>;
  /** Connector id → the URL of the simulator the guide says it runs (`siak: upstream simulator at …`). */
  simulators: Record<string, string>;
  stop(): Promise<void>;
}

export interface PrintedExample {
  clientId: string;
  role: string;
  clearance: string;
  label: string;
  command: string;
}

export async function startSandboxHub(): Promise<SandboxHub> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = spawnHub(url, {
    PENGHUBUNG_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'penghubung-sandbox-')), 'data'),
    PENGHUBUNG_HTTP__PORT: String(port),
    PENGHUBUNG_BUS__KIND: 'embedded',
    PENGHUBUNG_LOG__LEVEL: 'warn',
  });
  // The guide ends with a blank line.
  await waitFor(() => /\nExamples, [^\n]*\n[\s\S]*\n\n$/.test(process.stderr()) || process.child.exitCode !== null, 60_000, () => `the start-up guide on stderr; so far:\n${process.stderr()}`);
  if (process.child.exitCode !== null) throw new Error(`the sandbox hub exited with ${process.child.exitCode}:\n${process.stderr()}`);
  const guide = process.stderr();
  const section = guide.slice(guide.indexOf('API keys issued'), guide.indexOf('Dashboard:'));
  const keys = Object.fromEntries([...section.matchAll(/^ {2}(\S+) +(phb_\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const simulators = Object.fromEntries([...guide.matchAll(/^ {2}(\S+): upstream simulator at (http\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  return {
    process,
    url,
    guide,
    keys,
    simulators,
    async stop() {
      process.child.kill('SIGTERM');
      await process.exited;
    },
  };
}

/** The examples the guide prints, each under the client whose key it carries. */
export function printedExamples(guide: string): PrintedExample[] {
  const examples: PrintedExample[] = [];
  let client: Omit<PrintedExample, 'label' | 'command'> | undefined;
  for (const line of guide.slice(guide.indexOf('\nExamples, ')).split('\n')) {
    const heading = /^ {2}as (\S+) \((\w+), clearance (\w+)\):$/.exec(line);
    if (heading) client = { clientId: heading[1]!, role: heading[2]!, clearance: heading[3]! };
    const example = /^ {4}([^:]+): (curl .*)$/.exec(line);
    if (example && client) examples.push({ ...client, label: example[1]!, command: example[2]! });
  }
  return examples;
}
