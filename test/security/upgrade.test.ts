// A hub upgraded from the version that kept clients in clients.db and its token key in
// token-signing-key.pem keeps both: its clients and keys authenticate, a token issued before the
// upgrade is still accepted, a revoked client stays revoked, and the old files are renamed
// *.migrated and not read again (a second start changes nothing).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testKeys } from '../support/auth.js';
import { startTestHub } from '../support/hub.js';
import { previousKey, writePreviousClientsDb, writePreviousTokenKey } from '../support/previous-version.js';

describe('upgrading a hub to the state layer', () => {
  it('keeps its clients, keys and tokens', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'penghubung-upgrade-'));
    writePreviousClientsDb(join(dataDir, 'clients.db'));
    const { kid, token } = await writePreviousTokenKey(join(dataDir, 'token-signing-key.pem'), 'dinas-aktif', 3);

    for (const start of ['first', 'second']) {
      const hub = await startTestHub({ dataDir });
      try {
        const status = async (headers: Record<string, string>): Promise<number> => (await fetch(`${hub.url}/v1/catalog`, { headers })).status;
        expect(await status({ 'x-api-key': previousKey }), start).toBe(200);
        expect(await status({ authorization: `Bearer ${token}` }), start).toBe(200);
        const jwks = (await (await fetch(`${hub.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
        expect(jwks.keys.map((key) => key.kid), start).toEqual([kid]);
        const listed = (await (await fetch(`${hub.url}/v1/clients`, { headers: { 'x-api-key': testKeys.operator } })).json()) as { clients: { id: string; revoked: boolean; source: string }[] };
        expect(listed.clients.filter((client) => client.source === 'api').map(({ id, revoked }) => ({ id, revoked })), start).toEqual([{ id: 'dinas-aktif', revoked: false }, { id: 'dinas-dicabut', revoked: true }]);
      } finally {
        await hub.close();
      }
      expect(['clients.db', 'token-signing-key.pem'].map((name) => existsSync(join(dataDir, name))), start).toEqual([false, false]);
      expect(['clients.db.migrated', 'token-signing-key.pem.migrated'].map((name) => existsSync(join(dataDir, name))), start).toEqual([true, true]);
    }
  }, 60_000);
});
