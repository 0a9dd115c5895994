// The upgrade path of flow progress: instances and steps an earlier version kept in flows.db are
// on the state layer after the first start, and the file is set aside, never read again.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LosslessNumber } from 'lossless-json';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { FlowStore } from '../../src/flows/flow-store.js';
import { migrateLegacyFlows } from '../../src/flows/legacy-flow-store.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';

it('moves flow instances with their steps from flows.db to the state layer, once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'penghubung-flows-'));
  const file = join(dir, 'flows.db');
  const old = new Database(file);
  old.exec(`CREATE TABLE instances (id TEXT PRIMARY KEY, flow TEXT NOT NULL, trigger_event_id TEXT NOT NULL, subject TEXT,
      status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT);
    CREATE TABLE steps (instance_id TEXT NOT NULL, position INTEGER NOT NULL, step TEXT NOT NULL, outcome TEXT NOT NULL,
      result TEXT, error TEXT, attempts INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, PRIMARY KEY (instance_id, position)) WITHOUT ROWID;
    INSERT INTO instances VALUES ('pengaduan-disposisi:abc', 'pengaduan-disposisi', 'lapor-1', 'lapor-1', 'running', '2026-12-01T00:00:00.000Z', NULL);
    INSERT INTO steps VALUES ('pengaduan-disposisi:abc', 0, 'verifikasi', 'done', '{"tracking_id":12345678901234567890}', NULL, 1, '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:01.000Z');
    INSERT INTO steps VALUES ('pengaduan-disposisi:abc', 1, 'disposisi', 'retrying', NULL, 'HTTP 503', 2, '2026-12-01T00:00:01.000Z', NULL);`);
  old.close();

  const state = new EmbeddedState(join(dir, 'control.db'));
  await state.start();
  const store = new FlowStore(state);
  await migrateLegacyFlows(file, store, pino({ level: 'silent' }));

  expect(store.instance('pengaduan-disposisi:abc')).toMatchObject({ flow: 'pengaduan-disposisi', trigger_event_id: 'lapor-1', trigger_source: null, status: 'running', steps: [
    // A number beyond 2^53 comes through whole (the lossless JSON reader).
    { step: 'verifikasi', outcome: 'done', result: { tracking_id: new LosslessNumber('12345678901234567890') } },
    { step: 'disposisi', outcome: 'retrying', result: null, error: 'HTTP 503', attempts: 2 },
  ] });
  expect(existsSync(file)).toBe(false);
  expect(existsSync(`${file}.migrated`)).toBe(true);
  // A second start finds nothing to move.
  await migrateLegacyFlows(file, store, pino({ level: 'silent' }));
  expect(store.instances('pengaduan-disposisi', 10)).toHaveLength(1);
  await state.close();
});
