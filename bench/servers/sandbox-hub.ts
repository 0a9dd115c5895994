// A sandbox hub for a benchmark, from one checkout's modules (`modules`: its src/ under tsx, or
// its dist/src as `npm start` runs it): its own data directory (removed again when the start
// fails), the test clients of test/fixtures/clients.yaml, HTTP on a free port, log level silent,
// polling off and the embedded bus, unless `overrides` say otherwise (each of their top-level keys
// replaces the default's). bench/servers/hub.ts and hub-pair.ts start theirs so.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDataDir, type BenchDataDir } from '../lib/data-dir.js';

type ConfigModule = typeof import('../../src/config/config.js');
type HubModule = typeof import('../../src/hub.js');
export type BenchHub = Awaited<ReturnType<HubModule['startHub']>>;
export type HubOverrides = NonNullable<Parameters<ConfigModule['loadConfig']>[1]>;

export async function startSandboxHub(tree: string, modules: 'src' | 'dist/src', dataPrefix: string, overrides: HubOverrides = {}): Promise<{ hub: BenchHub; data: BenchDataDir }> {
  const from = pathToFileURL(join(tree, modules)).href;
  const { loadConfig } = (await import(`${from}/config/config.js`)) as ConfigModule;
  const { startHub } = (await import(`${from}/hub.js`)) as HubModule;
  const data = benchDataDir(dataPrefix);
  const config = loadConfig(process.env, {
    mode: 'sandbox',
    dataDir: data.dir,
    log: { level: 'silent' },
    http: { port: 0 },
    security: { clientsFile: join(tree, 'test/fixtures/clients.yaml') },
    connectors: { polling: false },
    bus: { kind: 'embedded' },
    ...overrides,
  });
  const hub = await startHub(config, { env: process.env }).catch((error: unknown) => {
    data.remove();
    throw error;
  });
  return { hub, data };
}
