// Configuration: defaults, file and environment overrides, and refusals that name key and source.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { projectPath } from '../../src/schemas.js';

const tempFile = (name: string, text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'penghubung-config-')), name);
  writeFileSync(file, text);
  return file;
};

describe('loadConfig', () => {
  it('loads the embedded defaults: sandbox, port 8080, embedded bus', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(config.bus.kind).toBe('auto');
    expect(config.bus.kafka.brokers).toEqual([]);
  });

  it('takes nested overrides from PENGHUBUNG_* variables, typed, and brokers from KAFKA_BROKERS', () => {
    const config = loadConfig({ PENGHUBUNG_HTTP__PORT: '9090', PENGHUBUNG_EVENTS__STRICT_TYPES: 'true', PENGHUBUNG_BUS__TOPIC_PREFIX: 'pesawaran', KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(config.http.port).toBe(9090);
    expect(config.events.strictTypes).toBe(true);
    expect(config.bus.topicPrefix).toBe('pesawaran');
    expect(config.bus.kafka.brokers).toEqual(['a:9092', 'b:9093']);
  });

  it('layers the file named by PENGHUBUNG_CONFIG over the defaults, and the environment over both', () => {
    const file = tempFile('produksi.yaml', 'mode: production\nhttp:\n  port: 7000\n');
    const config = loadConfig({ PENGHUBUNG_CONFIG: file, PENGHUBUNG_HTTP__PORT: '7001' });
    expect(config.mode).toBe('production');
    expect(config.http.port).toBe(7001);
    expect(config.http.host).toBe('127.0.0.1');
  });

  it('refuses a bad value naming the key and the variable it came from', () => {
    expect(() => loadConfig({ PENGHUBUNG_HTTP__PORT: '99999' })).toThrow(/http\.port: must be <= 65535 \(from environment variable PENGHUBUNG_HTTP__PORT\)/);
  });

  it('refuses an unknown key naming the key and the file', () => {
    const file = tempFile('salah.yaml', 'outbox:\n  fiel: x.db\n');
    expect(() => loadConfig({ PENGHUBUNG_CONFIG: file })).toThrow(new RegExp(`outbox\\.fiel: must NOT have additional properties \\(from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  });

  it('refuses a file that is not YAML, naming the file', () => {
    const file = tempFile('rusak.yaml', 'http: [port: 1\n');
    expect(() => loadConfig({ PENGHUBUNG_CONFIG: file })).toThrow(ConfigError);
    expect(() => loadConfig({ PENGHUBUNG_CONFIG: file })).toThrow(file);
  });

  it('refuses Kafka brokers without a port', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'kafka-tanpa-port' })).toThrow(/bus\.kafka\.brokers\.0: must match pattern .*KAFKA_BROKERS/);
  });
});

it('stops the process with the message when the configuration is bad', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectPath(),
    env: { ...process.env, PENGHUBUNG_BUS__PARTITIONS: '0' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('penghubung: invalid configuration');
  expect(run.stderr).toContain('bus.partitions: must be >= 1 (from environment variable PENGHUBUNG_BUS__PARTITIONS)');
});
