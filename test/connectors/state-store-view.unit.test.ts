// View entities are written with stringifyJson, so big identifiers stay exact; every reader
// (the reference API, enrichment, ownership) goes through StateStore.viewEntity to keep them so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { StateStore } from '../../src/connectors/state-store.js';
import { LosslessNumber, stringifyJson } from '../../src/events/json.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it('reads a view entity back with its numbers beyond 2^53 intact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'penghubung-view-'));
  dirs.push(dir);
  const state = new StateStore(join(dir, 'state.db'));
  state.upsertEntity('lapor.daftar-pengaduan', 'a', stringifyJson({ id: 'a', nomor: new LosslessNumber('18014398509481986') }), new Date().toISOString());
  const entity = state.viewEntity('lapor.daftar-pengaduan', 'a') as { nomor: LosslessNumber };
  expect(String(entity.nomor)).toBe('18014398509481986');
  expect(state.viewEntity('lapor.daftar-pengaduan', 'b')).toBeUndefined();
  state.close();
});
