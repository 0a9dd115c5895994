// The upgrade path to the shared control-plane state: a data directory written by a version that
// kept subscriptions and pull cursors in subscriptions.db starts with them on the state layer
// (the secret sealed on the way), delivers with the old secret, and drops the old tables so a
// subscription deleted later does not come back at the next start.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { encodeCursor } from '../../src/http/cursor.js';
import { hubFetch } from '../support/auth.js';
import { postJson, sampleEvent, startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const oldSecret = `whsec_${Buffer.from('rahasia-lama-24-bytes-ok').toString('base64')}`;

it('moves subscriptions and pull cursors from subscriptions.db to the state layer once', async () => {
  // It verifies with the secret the old store kept.
  const receiver = new WebhookReceiver();
  receiver.secret = oldSecret;
  await receiver.start();
  const { url } = receiver;

  const dataDir = mkdtempSync(join(tmpdir(), 'penghubung-upgrade-'));
  const old = new Database(join(dataDir, 'subscriptions.db'));
  old.exec(`CREATE TABLE subscriptions (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, types TEXT NOT NULL, filter TEXT NOT NULL,
      url TEXT NOT NULL, secret TEXT NOT NULL, status TEXT NOT NULL, paused_reason TEXT, created_at TEXT NOT NULL, deleted_at TEXT);
    CREATE TABLE pull_cursors (client_id TEXT NOT NULL, consumer TEXT NOT NULL, cursor TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (client_id, consumer)) WITHOUT ROWID;`);
  old.prepare(`INSERT INTO subscriptions VALUES ('sub_lama', 'uji-operator', '["uji.dibuat"]', '{}', ?, ?, 'active', NULL, '2026-01-01T00:00:00.000Z', NULL)`).run(url, oldSecret);
  old.prepare(`INSERT INTO subscriptions VALUES ('sub_dihapus', 'uji-operator', '["uji.dibuat"]', '{}', ?, ?, 'active', NULL, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`).run(url, oldSecret);
  // A version 1 cursor after the first event of the (fresh) outbox.
  old.prepare(`INSERT INTO pull_cursors VALUES ('uji-operator', 'aplikasi-lama', ?, '2026-01-01T00:00:00.000Z')`).run(encodeCursor(1));
  old.close();

  let hub = await startTestHub({ dataDir });
  try {
    const listed = (await (await hubFetch(`${hub.url}/v1/subscriptions`)).json()) as { subscriptions: { id: string; url: string; status: string }[] };
    expect(listed.subscriptions).toMatchObject([{ id: 'sub_lama', url, status: 'active' }]);
    const sealed = hub.state.table<{ secret: string }>('subscriptions').get('sub_lama')!.secret;
    expect(sealed).toMatch(/^aes256gcm:v1:/);

    expect((await postJson(`${hub.url}/v1/events`, sampleEvent('upgrade-1'))).status).toBe(202);
    await waitFor(() => receiver.received.some((r) => r.id === 'upgrade-1'), 15_000, 'the event at the migrated subscription');
    expect(receiver.received.find((r) => r.id === 'upgrade-1')!.verified).toBe(true);
    // The committed cursor moved too: the consumer continues after it, a new one starts at the beginning.
    const continued = (await (await hubFetch(`${hub.url}/v1/events?type=uji.dibuat&consumer=aplikasi-lama`)).json()) as { events: unknown[] };
    expect(continued.events).toEqual([]);
    const fresh = (await (await hubFetch(`${hub.url}/v1/events?type=uji.dibuat&consumer=aplikasi-baru`)).json()) as { events: { id: string }[] };
    expect(fresh.events.map((e) => e.id)).toContain('upgrade-1');

    expect((await hubFetch(`${hub.url}/v1/subscriptions/sub_lama`, { method: 'DELETE' })).status).toBe(204);
  } finally {
    await hub.close();
  }
  const after = new Database(join(dataDir, 'subscriptions.db'), { readonly: true });
  expect(after.prepare(`SELECT name FROM sqlite_schema WHERE name IN ('subscriptions', 'pull_cursors')`).all()).toEqual([]);
  after.close();

  hub = await startTestHub({ dataDir });
  try {
    const listed = (await (await hubFetch(`${hub.url}/v1/subscriptions`)).json()) as { subscriptions: unknown[] };
    expect(listed.subscriptions).toEqual([]);
  } finally {
    await hub.close();
    await receiver.stop();
  }
}, 60_000);
