// The sandbox start-up guide points at what each kit-built simulator received.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from '../../connectors/siak/simulator.js';
import type { ConnectorLayer } from '../../src/connectors/connector-layer.js';
import { printSandboxGuide } from '../../src/connectors/sandbox-guide.js';
import { callSimulator } from '../../src/connectors/sdk.js';

afterEach(() => {
  vi.restoreAllMocks();
});

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
      printSandboxGuide('http://127.0.0.1:8080', layer, {});
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
    printSandboxGuide('http://127.0.0.1:8080', layer, { 'operator-diskominfo': 'kunci-operator', 'aplikasi-opd-demo': 'kunci-demo' }, service);
    const lines = written.join('').split('\n');
    expect(lines).toContain("OPD service ekinerja (e-Kinerja): at http://127.0.0.1:9999; requests waiting: curl -H 'X-API-Key: kunci-operator' http://127.0.0.1:8080/v1/access-requests");
    expect(lines).toContain("    aplikasi-opd-demo: curl -H 'X-API-Key: kunci-demo' http://127.0.0.1:8080/v1/layanan/ekinerja/api/v1/pegawai/1");
  });
});
