// Files at rest: after start the data directory is 0700 and every file in it 0600; webhook
// secrets are sealed (AES-256-GCM) with a key outside the data directory; production refuses to
// start with the audit signing key inside the data directory, with one line; /metrics answers
// 401 without credentials unless configured public.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startHub } from '../../src/hub.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll, postJson, startTestHub } from '../support/hub.js';

const secret = `whsec_${Buffer.from('rahasia-langganan-uji-0123456789').toString('base64')}`;

const hub = hubBeforeAll({ security: { metricsPublic: false } });

beforeAll(async () => {
  const created = await postJson(`${hub().url}/v1/subscriptions`, { types: ['uji.dibuat'], url: 'http://127.0.0.1:9/hook', secret }, 'application/json');
  expect(created.status).toBe(201);
});

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

function modes(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    found[path.slice(dir.length + 1)] = mode(path);
  }
  return found;
}

describe('files at rest', () => {
  it('keeps the data directory 0700 and every file in it 0600', () => {
    const dataDir = hub().config.dataDir;
    expect(mode(dataDir)).toBe('700');
    const files = modes(dataDir);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['audit.db', 'control.db', 'outbox.db', 'subscriptions.db', 'audit-key.pem']));
    expect(Object.entries(files).filter(([, m]) => m !== '600')).toEqual([]);
  });

  it('seals webhook secrets with a key kept outside the data directory', () => {
    const dataDir = hub().config.dataDir;
    const stored = readdirSync(dataDir).filter((name) => name.startsWith('control.db')).map((name) => readFileSync(join(dataDir, name)).toString('latin1')).join('');
    expect(stored).toContain('aes256gcm:v1:');
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice('whsec_'.length));
    const keyDir = `${dataDir}-keys`;
    expect(mode(keyDir)).toBe('700');
    expect(mode(join(keyDir, 'webhook-secrets.key'))).toBe('600');
  });

  it('seals the token-signing keys on the state layer with a key kept outside the data directory', async () => {
    const dataDir = hub().config.dataDir;
    const stored = hub().state.table<{ sealed_private_key: string }>('token-keys').entries();
    expect(stored).toHaveLength(1);
    expect(stored[0]![1].sealed_private_key).toMatch(/^aes256gcm:v1:/);
    const onDisk = readdirSync(dataDir).filter((name) => name.startsWith('control.db')).map((name) => readFileSync(join(dataDir, name)).toString('latin1')).join('');
    expect(onDisk).toContain('aes256gcm:v1:');
    expect(onDisk).not.toContain('PRIVATE KEY');
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.pem'))).toEqual(['audit-key.pem']);
    expect(mode(join(`${dataDir}-keys`, 'state.key'))).toBe('600');
    // The set's public key verifies the hub's tokens.
    const jwks = (await (await fetch(`${hub().url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; kty: string; crv: string }[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: stored[0]![0], kty: 'OKP', crv: 'Ed25519' })]);
  });
});

describe('/metrics', () => {
  it('needs credentials unless configured public', async () => {
    expect((await fetch(`${hub().url}/metrics`)).status).toBe(401);
    expect((await hubFetch(`${hub().url}/metrics`, {}, testKeys.publik)).status).toBe(403);
    expect((await hubFetch(`${hub().url}/metrics`)).status).toBe(200);
    const scraper = await postJson(`${hub().url}/v1/clients`, { id: 'prometheus', name: 'Prometheus', opd: 'Diskominfo', role: 'app', clearance: 'publik', rights: ['metrics:read'] }, 'application/json');
    const scraped = await fetch(`${hub().url}/metrics`, { headers: { authorization: `Bearer ${String(scraper.body.api_key)}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('penghubung_http_requests_total');

    const open = await startTestHub({ security: { metricsPublic: true } });
    try {
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('production start', () => {
  const production = (dataDir: string, security: Record<string, unknown> = {}): ReturnType<typeof loadConfig> =>
    loadConfig({}, { mode: 'production', dataDir, log: { level: 'silent' }, http: { port: 0 }, security: { clientsFile: 'test/fixtures/clients.yaml', ...security } });

  it('is refused with the audit signing key inside the data directory, unless told to', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'penghubung-produksi-'));
    await expect(startHub(production(dataDir), { env: {} })).rejects.toThrow(/^the audit signing key .*audit-key\.pem is inside the data directory .*PENGHUBUNG_AUDIT_KEY_FILE/);
    // Told to: that check passes (and the next one, the webhook key, speaks).
    await expect(startHub(production(dataDir, { allowAuditKeyInDataDir: true }), { env: {} })).rejects.toThrow(/^webhooks\.secretKeyFile is not set/);
  });

  it('says why in one line and exits 1', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'penghubung-produksi-'));
    const started = spawnSync(process.execPath, ['--import', 'tsx', projectPath('src', 'main.ts')], {
      cwd: projectPath(),
      env: { PATH: process.env.PATH, PENGHUBUNG_MODE: 'production', PENGHUBUNG_DATA_DIR: dataDir, PENGHUBUNG_HTTP__PORT: '0', PENGHUBUNG_LOG__LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(started.status).toBe(1);
    expect(started.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^penghubung: the audit signing key .* is inside the data directory /)]);
  }, 70_000);
});
