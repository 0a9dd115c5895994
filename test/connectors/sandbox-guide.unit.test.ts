// The sandbox start-up guide points at what each kit-built simulator received.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from '../../connectors/siak/simulator.js';
import type { ConnectorLayer } from '../../src/connectors/connector-layer.js';
import type { Operation } from '../../src/connectors/manifest.js';
import { exampleRight, sandboxExamples } from '../../src/connectors/sandbox-examples.js';
import { printSandboxGuide } from '../../src/connectors/sandbox-guide.js';
import type { Client } from '../../src/security/clients.js';
import { callSimulator } from '../../src/connectors/sdk.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const client = (id: string, role: Client['role'], clearance: Client['clearance'], rights: string[]): Client => ({ id, name: id, opd: 'Diskominfo', role, clearance, rights });
const runtime = (id: string, baseUrl: string) => ({ id, baseUrl, loaded: { manifest: { operations: {} } } });

describe('printSandboxGuide', () => {
  it("names each kit simulator's request record, which answers what the simulator received", async () => {
    const simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
    try {
      const written: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
      const layer = {
        runtimes: [runtime('siak', simulator.url), runtime('luar', 'https://contoh.go.id')],
        simulators: new Map([['siak', simulator]]),
      } as unknown as ConnectorLayer;
      printSandboxGuide('http://127.0.0.1:8080', layer, { keys: {}, client: () => undefined });
      const guide = written.join('');
      const line = guide.split('\n').find((text) => text.includes('requests it received'));
      expect(line).toBe(`    requests it received: curl ${simulator.url}/_simulator/requests`);
      expect(guide).toContain('  luar: upstream https://contoh.go.id');
      expect(guide.match(/requests it received/g)).toHaveLength(1);

      await callSimulator(simulator.url, 'POST', '/dukcapil/get_json/PESAWARAN/CALL_NIK', { nik: '1809011508900001' });
      const recorded = await callSimulator(simulator.url, 'GET', line!.split('curl ')[1]!.slice(simulator.url.length));
      expect(recorded.body).toMatchObject([{ method: 'POST', path: '/dukcapil/get_json/PESAWARAN/CALL_NIK', status: 200 }]);
    } finally {
      await simulator.close();
    }
  });

  it("prints the example OPD service and one call with the grantee's own key", () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    const layer = { runtimes: [], simulators: new Map() } as unknown as ConnectorLayer;
    const service = { id: 'ekinerja', title: 'e-Kinerja', url: 'http://127.0.0.1:9999', example: 'curl {hub}/v1/layanan/ekinerja/api/v1/pegawai/1', grantee: 'aplikasi-opd-demo' };
    const clients = { 'operator-diskominfo': client('operator-diskominfo', 'operator', 'rahasia', ['*']), 'aplikasi-opd-demo': client('aplikasi-opd-demo', 'app', 'terbatas', ['catalog:read']) };
    printSandboxGuide('http://127.0.0.1:8080', layer, { keys: { 'operator-diskominfo': 'kunci-operator', 'aplikasi-opd-demo': 'kunci-demo' }, client: (id) => clients[id as keyof typeof clients] }, service);
    const lines = written.join('').split('\n');
    expect(lines).toContain('OPD service ekinerja (e-Kinerja): at http://127.0.0.1:9999');
    expect(lines).toContain("    layanan ekinerja: curl -H 'X-API-Key: kunci-demo' http://127.0.0.1:8080/v1/layanan/ekinerja/api/v1/pegawai/1");
    // No app may publish services here: the operator lists the access requests.
    expect(lines.slice(lines.indexOf('  as operator-diskominfo (operator, clearance rahasia):'))).toContain("    access requests to ekinerja: curl -H 'X-API-Key: kunci-operator' http://127.0.0.1:8080/v1/access-requests");
  });
});

describe('sandboxExamples', () => {
  const manifest = {
    operations: {
      'cari-penduduk': { kind: 'query', example: 'curl {hub}/v1/penduduk/1' },
      'daftar-paket': { kind: 'view', example: "curl '{hub}/v1/pengadaan/paket?limit=5'" },
      'kirim-tindak-lanjut': { kind: 'outbound', eventType: 'pengaduan.tindak-lanjut.dibuat', example: 'curl -X POST {hub}/v1/events' },
      'daftar-rahasia': { kind: 'view', example: 'curl {hub}/v1/rahasia' },
      'tanpa-contoh': { kind: 'view' },
    },
  };
  const layer = { runtimes: [{ id: 'uji', baseUrl: 'http://upstream', loaded: { manifest } }] } as unknown as ConnectorLayer;
  const clients = {
    'operator-diskominfo': client('operator-diskominfo', 'operator', 'rahasia', ['*']),
    'aplikasi-opd-demo': client('aplikasi-opd-demo', 'app', 'terbatas', ['uji:*', 'events:publish:pengaduan.*']),
    'portal-publik': client('portal-publik', 'app', 'publik', ['catalog:read', 'uji:daftar-paket']),
  };
  const keys = { 'operator-diskominfo': 'k-op', 'aplikasi-opd-demo': 'k-demo', 'portal-publik': 'k-publik' };

  it('runs each example as the least-cleared app whose rights allow it, an operator only when no app may', () => {
    const examples = sandboxExamples('http://hub', layer, { keys, client: (id) => clients[id as keyof typeof clients] });
    expect(examples).toEqual([
      { clientId: 'portal-publik', label: 'catalogue', command: "curl -H 'X-API-Key: k-publik' http://hub/v1/catalog" },
      { clientId: 'aplikasi-opd-demo', label: 'uji cari-penduduk', command: "curl -H 'X-API-Key: k-demo' http://hub/v1/penduduk/1" },
      { clientId: 'portal-publik', label: 'uji daftar-paket', command: "curl -H 'X-API-Key: k-publik' 'http://hub/v1/pengadaan/paket?limit=5'" },
      { clientId: 'aplikasi-opd-demo', label: 'uji kirim-tindak-lanjut', command: "curl -H 'X-API-Key: k-demo' -X POST http://hub/v1/events" },
      { clientId: 'aplikasi-opd-demo', label: 'uji daftar-rahasia', command: "curl -H 'X-API-Key: k-demo' http://hub/v1/rahasia" },
    ]);
    expect(exampleRight('uji', 'kirim-tindak-lanjut', manifest.operations['kirim-tindak-lanjut'] as Operation)).toBe('events:publish:pengaduan.tindak-lanjut.dibuat');
  });

  it('leaves out an example no demo client may run', () => {
    const onlyPublic = { 'portal-publik': 'k-publik' };
    const examples = sandboxExamples('http://hub', layer, { keys: onlyPublic, client: (id) => clients[id as keyof typeof clients] });
    expect(examples.map((example) => example.label)).toEqual(['catalogue', 'uji daftar-paket']);
  });
});
