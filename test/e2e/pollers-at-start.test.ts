// Pollers at start, with the real connectors and their simulators: every poller polls at once,
// and one that enriches from views (LPSE packages take kode_sub_kegiatan from SIPD's RUP view)
// waits for the first runs of the pollers that fill those views, not for a fixed delay.
import { expect, it } from 'vitest';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const hub = hubBeforeAll({ connectors: { polling: true } });

it('runs every first poll at start, the enriching one after the polls it reads from', async () => {
  const pollers = [...hub().connectors.pollers.values()];
  await waitFor(() => pollers.every((p) => p.lastOutcome?.finished_at), 30_000, () => `every first poll to finish; pending: ${pollers.filter((p) => !p.lastOutcome?.finished_at).map((p) => `${p.connectorId}/${p.operationId}`).join(', ')}`);
  const outcome = (id: string): { started_at: string; finished_at: string | null } => hub().connectors.pollers.get(id)!.lastOutcome!;
  const feeder = outcome('sipd:rincian-anggaran-masuk');
  const enricher = outcome('lpse:paket-masuk');
  expect(Date.parse(enricher.started_at)).toBeGreaterThanOrEqual(Date.parse(feeder.finished_at!));
  // The others did not wait: each started before the SIPD budget-line poll finished.
  expect(Date.parse(outcome('lapor:pengaduan-masuk').started_at)).toBeLessThanOrEqual(Date.parse(feeder.finished_at!));
}, 60_000);
