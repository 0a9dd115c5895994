// The fingerprints of published inbound entities live on the state layer (shared by every
// instance on Kafka); a state.db from before keeps its rows only until they are copied once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { SeenEntities } from '../../src/connectors/seen-entities.js';
import { StateStore } from '../../src/connectors/state-store.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';

it('keeps the last published version per connector, operation and identity, and survives a restart', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'phb-seen-')), 'control.db');
  const control = new EmbeddedState(file);
  await control.start();
  const seen = new SeenEntities(control);
  await seen.save('lapor', 'pengaduan-masuk', [{ identity: 'LAP-1', fingerprint: 'f1', tracked: 't1', eventId: 'ev-1' }]);
  await seen.save('lapor', 'pengaduan-masuk', [{ identity: 'LAP-1', fingerprint: 'f2', tracked: 't1', eventId: 'ev-2' }]);
  expect(seen.seen('lapor', 'pengaduan-masuk', 'LAP-1')).toEqual({ fingerprint: 'f2', tracked: 't1', eventId: 'ev-2' });
  expect(seen.seen('lapor', 'other-operation', 'LAP-1')).toBeUndefined();
  await control.close();

  const again = new EmbeddedState(file);
  await again.start();
  expect(new SeenEntities(again).seen('lapor', 'pengaduan-masuk', 'LAP-1')?.eventId).toBe('ev-2');
  await again.close();
});

it('hands over the fingerprints an older state.db kept, once', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'phb-seen-legacy-')), 'state.db');
  new StateStore(file).close();
  const db = new Database(file);
  db.prepare('INSERT INTO seen_entities VALUES (?, ?, ?, ?, ?, ?, ?)').run('lpse', 'paket', 'P-9', 'fp', 'tr', 'ev-9', Date.now());
  db.close();
  const store = new StateStore(file);
  expect(store.takeLegacySeen()).toEqual([{ connector: 'lpse', operation: 'paket', identity: 'P-9', fingerprint: 'fp', tracked: 'tr', eventId: 'ev-9' }]);
  expect(store.takeLegacySeen()).toEqual([]);
  store.close();
});
