// The sandbox's demo keys: alone, each start replaces the previous start's keys; with the state
// shared by a cluster, each instance replaces only its own previous keys and moves no epoch, so
// the key every running instance printed works.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientRegistry, readClientsFile } from '../../src/security/clients.js';
import { projectPath } from '../../src/schemas.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';

async function registry(): Promise<ClientRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'phb-sandbox-keys-'));
  const clientsFile = join(dir, 'clients.yaml');
  writeFileSync(clientsFile, 'clients:\n  - { id: demo-dinas, name: Demo, opd: Dinas Demo, role: app, clearance: publik, rights: ["catalog:read"] }\n  - { id: demo-berkunci, name: Berkunci, opd: Dinas Demo, role: app, clearance: publik, rights: [], apiKeySha256: ["' + '0'.repeat(64) + '"] }\n');
  const state = new EmbeddedState(join(dir, 'control.db'));
  await state.start();
  return new ClientRegistry(state, clientsFile);
}

describe('sandbox keys', () => {
  it('replace the previous start\'s keys on a lone instance', async () => {
    const clients = await registry();
    const first = await clients.issueSandboxKeys();
    expect(Object.keys(first)).toEqual(['demo-dinas']);
    const second = await clients.issueSandboxKeys();
    expect(clients.authenticateKey(first['demo-dinas']!)).toBeUndefined();
    expect(clients.authenticateKey(second['demo-dinas']!)?.id).toBe('demo-dinas');
  });

  it('replace only the instance\'s own previous keys when the state is shared, ending no token', async () => {
    const clients = await registry();
    const fromA = await clients.issueSandboxKeys('instance-a');
    const epoch = clients.epochOf('demo-dinas');
    const fromB = await clients.issueSandboxKeys('instance-b');
    expect(fromB['demo-dinas']).not.toBe(fromA['demo-dinas']);
    expect([fromA, fromB].map((keys) => clients.authenticateKey(keys['demo-dinas']!)?.id)).toEqual(['demo-dinas', 'demo-dinas']);
    // A restarts: its earlier key goes, B's stays.
    const fromAAgain = await clients.issueSandboxKeys('instance-a');
    expect([fromA, fromB, fromAAgain].map((keys) => clients.authenticateKey(keys['demo-dinas']!)?.id)).toEqual([undefined, 'demo-dinas', 'demo-dinas']);
    expect(clients.epochOf('demo-dinas')).toBe(epoch);
  });

  it('give each of the sandbox\'s operators a key of their own, so the audit log names the person', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phb-sandbox-keys-'));
    const state = new EmbeddedState(join(dir, 'control.db'));
    await state.start();
    const clients = new ClientRegistry(state, projectPath('config', 'clients.yaml'));
    const operators = readClientsFile(projectPath('config', 'clients.yaml')).filter((c) => c.role === 'operator').map((c) => c.id);
    expect(operators).toEqual(['operator-diskominfo', 'operator-rina']);
    const keys = await clients.issueSandboxKeys();
    expect(operators.map((id) => clients.authenticateKey(keys[id]!)?.id)).toEqual(operators);
    expect(new Set(operators.map((id) => keys[id])).size).toBe(2);
  });
});
