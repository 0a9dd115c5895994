// Upstream paths a deployment moves without editing the connector folder: config
// connectors.options.<id> merged over the manifest's options, read through the SDK's pathOf.
import { describe, expect, it } from 'vitest';
import { mergeOptions } from '../../src/connectors/connector-runtime.js';
import { pathOf } from '../../src/connectors/sdk.js';
import lapor from '../../connectors/lapor/mapping.js';

const defaults = { daftar: '/api/v2/instansi/{instansiId}/laporan', addstream: '/api/stream/addstream' } as const;

describe('pathOf', () => {
  it('takes the default when options name no path, and fills placeholders URL-encoded', () => {
    expect(pathOf({ options: {} }, 'daftar', defaults, { instansiId: 'a b/c' })).toBe('/api/v2/instansi/a%20b%2Fc/laporan');
  });

  it('takes options.jalur.<name> when it is an absolute path, and ignores anything else', () => {
    expect(pathOf({ options: { jalur: { daftar: '/v3/laporan/{instansiId}' } } }, 'daftar', defaults, { instansiId: '42' })).toBe('/v3/laporan/42');
    expect(pathOf({ options: { jalur: { daftar: 'http://elsewhere/x' } } }, 'daftar', defaults, { instansiId: '42' })).toBe('/api/v2/instansi/42/laporan');
    expect(pathOf({ options: { jalur: 'nonsense' } }, 'addstream', defaults)).toBe('/api/stream/addstream');
  });

  it('leaves a placeholder it has no value for as written', () => {
    expect(pathOf({ options: {} }, 'daftar', defaults)).toBe('/api/v2/instansi/{instansiId}/laporan');
  });
});

describe('mergeOptions', () => {
  it('merges objects key by key and replaces everything else', () => {
    const manifest = { jalur: { daftar: '/a', addstream: '/b' }, daftarUrut: ['x', 'y'], versi: '4' };
    expect(mergeOptions(manifest, { jalur: { daftar: '/c' }, daftarUrut: ['z'] })).toEqual({ jalur: { daftar: '/c', addstream: '/b' }, daftarUrut: ['z'], versi: '4' });
    expect(manifest.jalur.daftar).toBe('/a');
  });
});

describe('LAPOR! paths follow the deployment', () => {
  const context = (options: Record<string, unknown>) => ({ settings: { token: 't', instansiId: '1809' }, options, now: () => new Date('2026-12-01T00:00:00Z') });

  it('polls the listing at the configured path', () => {
    const poll = lapor.inbound!['pengaduan-masuk']!.poll!;
    expect(poll.request(undefined, context({})).path).toBe('/api/v2/instansi/1809/laporan');
    expect(poll.request(undefined, context({ jalur: { daftar: '/api/v3/instansi/{instansiId}/aduan' } })).path).toBe('/api/v3/instansi/1809/aduan');
  });
});
