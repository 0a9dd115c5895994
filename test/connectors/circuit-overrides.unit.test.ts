// Circuit overrides kept on the state layer: what an operator forced is forced again on a hub that
// starts later (here: the same control file reopened), per connector and per operation.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CircuitOverrides } from '../../src/connectors/circuit-overrides.js';
import { Circuit, defaultBreaker } from '../../src/resilience/circuit.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';

function runtime(): { id: string; circuit: Circuit; operationCircuits: Map<string, Circuit> } {
  const circuit = (name: string): Circuit => new Circuit(name, defaultBreaker, () => true, () => undefined);
  return { id: 'lapor', circuit: circuit('lapor'), operationCircuits: new Map([['kirim', circuit('lapor:kirim')]]) };
}

it('forces the circuits an override names, again after a restart, until released', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'phb-overrides-')), 'control.db');
  const first = new EmbeddedState(file);
  await first.start();
  const before = runtime();
  const overrides = new CircuitOverrides(first, () => [before]);
  const stop = overrides.follow();
  await overrides.set('lapor', undefined, 'open', 'pemeliharaan server', 'operator-uji');
  await overrides.set('lapor', 'kirim', 'closed', 'uji tanpa pemutus', 'operator-uji');
  expect([before.circuit.forcedState(), before.operationCircuits.get('kirim')!.forcedState()]).toEqual(['open', 'closed']);
  stop();
  for (const circuit of [before.circuit, ...before.operationCircuits.values()]) circuit.shutdown();
  await first.close();

  const again = new EmbeddedState(file);
  await again.start();
  const after = runtime();
  const reopened = new CircuitOverrides(again, () => [after]);
  const stopAgain = reopened.follow();
  expect([after.circuit.forcedState(), after.operationCircuits.get('kirim')!.forcedState()]).toEqual(['open', 'closed']);
  await expect(after.circuit.run(async () => 'called')).rejects.toMatchObject({ code: 'circuit-open' });

  await reopened.set('lapor', undefined, 'auto', 'pemeliharaan selesai', 'operator-uji');
  expect(after.circuit.forcedState()).toBeNull();
  expect(await after.circuit.run(async () => 'called')).toBe('called');
  expect(again.table('circuit-overrides').entries().map(([key]) => key)).toEqual(['lapor/kirim']);
  stopAgain();
  for (const circuit of [after.circuit, ...after.operationCircuits.values()]) circuit.shutdown();
  await again.close();
});
