// `npm start` when the hub cannot start for a reason a person fixes: the message on stderr saying
// what and how (one line for a busy port), exit code 1, no stack trace. The hub runs as its own process, as in production.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';

let taken: Server;
let port: number;

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
  port = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((closed) => taken.close(closed));
});

/** Runs src/main.ts until it exits; its exit code and stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const { KAFKA_BROKERS: _shared, ...inherited } = process.env;
  const hub = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectPath(),
    env: { ...inherited, PENGHUBUNG_DATA_DIR: mkdtempSync(join(tmpdir(), 'penghubung-start-')), PENGHUBUNG_LOG__LEVEL: 'silent', PENGHUBUNG_CONNECTORS__POLLING: 'false', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  hub.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => hub.kill('SIGKILL'), 60_000);
  return new Promise((exited) => hub.on('exit', (code) => {
    clearTimeout(killer);
    exited({ code, stderr });
  }));
}

it('names the file and the field of an invalid connector folder, without a stack, when told to refuse it', async () => {
  const connectors = mkdtempSync(projectPath('.tmp-invalid-connectors-'));
  try {
    mkdirSync(join(connectors, 'rusak'));
    writeFileSync(join(connectors, 'rusak', 'manifest.yaml'), 'id: rusak\nformats: [jsn]\n');
    const { code, stderr } = await start({ PENGHUBUNG_CONNECTORS__DIRECTORY: connectors, PENGHUBUNG_CONNECTORS__ON_INVALID: 'refuse' });
    const file = `${relative(projectPath(), connectors)}/rusak/manifest.yaml`;
    expect(stderr.startsWith(`penghubung: ${file}: invalid manifest:\n`)).toBe(true);
    expect(stderr).toContain('\n  /formats/0: must be one of: json, xml\n');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(code).toBe(1);
  } finally {
    rmSync(connectors, { recursive: true, force: true });
  }
}, 70_000);

it('says in one line which port is in use and how to change it, and exits 1', async () => {
  const { code, stderr } = await start({ PENGHUBUNG_HTTP__PORT: String(port) });
  expect(stderr).toBe(`penghubung: port ${port} is in use; set http.port in config or PENGHUBUNG_HTTP__PORT\n`);
  expect(code).toBe(1);
}, 70_000);
