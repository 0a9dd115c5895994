// Writes the hub's /openapi.json to a file: a hub started in-process (embedded bus, sandbox
// connectors, polling off, a throw-away data directory) is asked for its document, then stopped.
// Its clients are the test ones (test/fixtures/clients.yaml), so no OPD service is registered
// (the sandbox's example service needs its owner client): the document is the canonical API
// alone, the same a test hub serves (test/openapi/, test/clients/).
//   tsx tools/openapi/export.ts <file>
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startHub } from '../../src/hub.js';

export async function exportOpenApi(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'penghubung-openapi-'));
  const config = loadConfig({}, { dataDir, log: { level: 'silent' }, http: { port: 0 }, connectors: { polling: false }, security: { clientsFile: 'test/fixtures/clients.yaml' } });
  const hub = await startHub(config, { env: process.env });
  try {
    return `${JSON.stringify(await (await fetch(`${hub.url}/openapi.json`)).json(), null, 2)}\n`;
  } finally {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx tools/openapi/export.ts <file>');
  writeFileSync(file, await exportOpenApi());
  process.exit(0);
}
