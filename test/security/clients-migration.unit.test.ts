// Upgrading keeps the clients: a clients.db of the previous version moves into the state layer
// once (keys, revocations, epochs, ended sessions), the file is renamed and not read again.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateClientsDb } from '../../src/security/clients-migration.js';
import { ClientRegistry, clientTables } from '../../src/security/clients.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';
import { previousKey, writePreviousClientsDb } from '../support/previous-version.js';

describe('migrating clients.db into the state layer', () => {
  it('keeps clients, keys, revocations, epochs and ended sessions, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phb-clients-migration-'));
    const file = join(dir, 'clients.db');
    writePreviousClientsDb(file);
    const state = new EmbeddedState(join(dir, 'control.db'));
    await state.start();

    // Two clients, a key, an epoch and the ended session still current.
    expect(await migrateClientsDb(file, clientTables(state))).toBe(5);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.migrated`)).toBe(true);
    expect(await migrateClientsDb(file, clientTables(state))).toBe(0);
    await state.close();

    // After a restart, from the state layer alone.
    const again = new EmbeddedState(join(dir, 'control.db'));
    await again.start();
    const registry = new ClientRegistry(again, undefined);
    expect(registry.authenticateKey(previousKey)?.id).toBe('dinas-aktif');
    expect(registry.get('dinas-dicabut')).toBeUndefined();
    expect(registry.list().map(({ id, revoked }) => ({ id, revoked }))).toEqual([{ id: 'dinas-aktif', revoked: false }, { id: 'dinas-dicabut', revoked: true }]);
    expect(registry.epochOf('dinas-aktif')).toBe(3);
    expect([registry.sessionEnded('sesi-berlaku'), registry.sessionEnded('sesi-kedaluwarsa')]).toEqual([true, false]);

    // The next rotation moves the epoch past the migrated one and ends the migrated key.
    const rotated = await registry.rotate('dinas-aktif');
    expect(registry.epochOf('dinas-aktif')).toBeGreaterThan(3);
    expect(registry.authenticateKey(previousKey)).toBeUndefined();
    expect(registry.authenticateKey(rotated)?.id).toBe('dinas-aktif');
    await again.close();
  });
});
