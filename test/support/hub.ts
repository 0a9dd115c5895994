// Starts a real hub in-process on a free port with its own data directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type DeepPartial, type HubConfig } from '../../src/config/config.js';
import { startHub, type Hub } from '../../src/hub.js';
import { hubFetch } from './auth.js';
import { kafkaBrokers } from './kafka.js';
import { refuseInUnitProject } from './unit-guard.js';

export async function startTestHub(overrides: DeepPartial<HubConfig> = {}, env: NodeJS.ProcessEnv = {}, logger?: Logger): Promise<Hub> {
  refuseInUnitProject('a hub');
  const dataDir = mkdtempSync(join(tmpdir(), 'penghubung-test-'));
  const config = loadConfig(env, {
    dataDir,
    log: { level: 'silent' },
    ...overrides,
    security: { clientsFile: 'test/fixtures/clients.yaml', ...overrides.security },
    http: { port: 0, ...overrides.http },
    // Test receivers listen on 127.0.0.1; production refuses loopback targets (webhooks.allowLoopback).
    webhooks: { allowLoopback: true, ...overrides.webhooks },
    // Tests run pollers themselves (runOnce), so nothing lands in the outbox behind their back.
    // Simulators in the test's own process, for speed and for their request records (requests()).
    connectors: { polling: false, simulators: 'in-process', ...overrides.connectors },
  });
  return startHub(config, { env: { ...process.env, ...env }, ...(logger ? { logger } : {}) });
}

/**
 * One test hub for the tests of the file (or `describe` block) this is called in: started before
 * them (startTestHub's arguments), closed after them. The returned function gives it, in a test
 * or in a hook registered after this call.
 */
export function hubBeforeAll(overrides: DeepPartial<HubConfig> = {}, env: NodeJS.ProcessEnv = {}, logger?: Logger): () => Hub {
  let hub: Hub | undefined;
  beforeAll(async () => {
    hub = await startTestHub(overrides, env, logger);
  });
  afterAll(async () => {
    await hub?.close();
  });
  return () => {
    if (!hub) throw new Error('the test hub is not running: it failed to start, or a test asked for it before its beforeAll ran');
    return hub;
  };
}

/** What every hub of one cluster in a test shares: one Kafka, one topic prefix, and the key files that seal shared secrets. */
export interface ClusterSettings {
  bus: { kind: 'kafka'; topicPrefix: string; kafka: { brokers: string[] } };
  security: { stateKeyFile: string };
  webhooks: { secretKeyFile: string };
}

/** Settings for the hubs of one cluster on `topicPrefix`, their shared keys in a fresh directory; spread them into each hub's overrides. */
export function clusterSettings(topicPrefix: string): ClusterSettings {
  const keys = mkdtempSync(join(tmpdir(), 'penghubung-cluster-keys-'));
  return {
    bus: { kind: 'kafka', topicPrefix, kafka: { brokers: kafkaBrokers() } },
    security: { stateKeyFile: join(keys, 'state.key') },
    webhooks: { secretKeyFile: join(keys, 'webhook-secrets.key') },
  };
}

/** The CloudEvent most tests post; `overrides` replace attributes. */
export function sampleEvent(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: '/opd/diskominfo/uji',
    type: 'uji.dibuat',
    subject: `uji-${id}`,
    time: '2026-11-28T08:00:00+07:00',
    datacontenttype: 'application/json',
    data: { nomor: id, keterangan: 'data uji' },
    ...overrides,
  };
}

export async function postJson(url: string, body: unknown, contentType = 'application/cloudevents+json', headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await hubFetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}
