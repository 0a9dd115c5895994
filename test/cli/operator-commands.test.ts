// `penghubung poll` and `penghubung rejected` against a real hub (the test connector
// uji-rekaman, whose listing holds unreadable records), and how they find the hub.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hubAddress } from '../../src/cli/hub-client.js';
import { main } from '../../src/cli/main.js';
import { projectPath } from '../../src/schemas.js';
import { testKeys } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';

const hub = hubBeforeAll({ connectors: { directory: 'test/fixtures/connectors', polling: false } });

async function run(...argv: string[]): Promise<{ code: number | 'running'; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--hub', hub().url, '--api-key', testKeys.operator], { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('penghubung poll and rejected', () => {
  it('polls now and prints the outcome, then lists what was rejected and why', async () => {
    const polled = await run('poll', 'uji-rekaman', 'rekaman-masuk');
    expect(polled.code).toBe(0);
    expect(polled.out).toContain('uji-rekaman/rekaman-masuk: 2 page(s), 5 record(s) read, 3 published, 0 unchanged, 2 rejected');
    expect(polled.out).toContain('see: penghubung rejected uji-rekaman --operation rekaman-masuk');

    const listed = await run('rejected', 'uji-rekaman', '--operation', 'rekaman-masuk');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/rekaman-masuk {2}date-invalid {2}record 1 of a polled page \(first\)/);
    expect(listed.out).toContain('updated_at is not a date');
    expect(listed.out).toMatch(/rekaman-masuk {2}schema-invalid {2}record 2 of a polled page \(first\)/);

    const filtered = await run('rejected', 'uji-rekaman', '--reason', 'schema-invalid', '--json');
    expect((JSON.parse(filtered.out) as { items: { reason: string }[] }).items.map((i) => i.reason)).toEqual(['schema-invalid']);
  });

  it('exits 1 when the poll failed, and 2 with the hub\'s code when the hub refuses', async () => {
    await hub().connectors.pollCursors.save('uji-rekaman', 'rekaman-masuk', '99');
    const failed = await run('poll', 'uji-rekaman', 'rekaman-masuk');
    await hub().connectors.pollCursors.save('uji-rekaman', 'rekaman-masuk', undefined);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('stopped: upstream-bad-response: the upstream answered with an error');

    const unknown = await run('rejected', 'tidak-ada');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('the hub answered 404 connector-not-found');
    expect((await run('poll', 'uji-rekaman')).err).toContain('poll takes <connector> <operation>');
  });
});

describe('the hub address', () => {
  it('is --hub, else PENGHUBUNG_URL, else the configured http.host and http.port', () => {
    expect(hubAddress('http://hub.example:1', { PENGHUBUNG_URL: 'http://other:2' })).toBe('http://hub.example:1');
    expect(hubAddress(undefined, { PENGHUBUNG_URL: 'http://other:2' })).toBe('http://other:2');
    expect(hubAddress(undefined, { PENGHUBUNG_HTTP__PORT: '9123' })).toBe('http://127.0.0.1:9123');
    expect(hubAddress(undefined, { PENGHUBUNG_HTTP__HOST: '0.0.0.0', PENGHUBUNG_HTTP__PORT: '8443' })).toBe('http://127.0.0.1:8443');
    expect(hubAddress(undefined, { PENGHUBUNG_HTTP__HOST: '::1', PENGHUBUNG_HTTP__PORT: '9124' })).toBe('http://[::1]:9124');
  });

  it('reaches a running hub at the port of the configuration file the hub uses, with no --hub', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'penghubung-cli-')), 'hub.yaml');
    writeFileSync(file, `http:\n  port: ${new URL(hub().url).port}\n`);
    const { PENGHUBUNG_URL: _url, ...env } = process.env;
    // Asynchronously: the hub answering it runs in this process.
    const cli = await promisify(execFile)(process.execPath, ['bin/penghubung.js', 'rejected', 'uji-rekaman', '--json'], {
      cwd: projectPath(),
      env: { ...env, PENGHUBUNG_CONFIG: file, PENGHUBUNG_API_KEY: testKeys.operator },
      timeout: 30_000,
    });
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toHaveProperty('items');
  });
});
