// One connector runtime per OPD service version: made on first use, kept while the version
// stands, replaced by a new version and dropped at retirement; a secret that does not open fails
// that service's calls, not the listing of every service's runtime (the status API). Its proxy
// (HTTP_PROXY, NO_PROXY) is chosen once, when the runtime is made.
import { createServer } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { SecretBox } from '../../src/security/secret-box.js';
import type { ServiceDefinition } from '../../src/services/service-definition.js';
import { ServiceRuntimes } from '../../src/services/service-runtime.js';
import { closeServer, listen, proxyVariables, startForwardProxy } from '../support/http-servers.js';

const box = SecretBox.ephemeral();
const service = (version: number, overrides: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
  id: 'ekinerja', version, owner: 'opd-bkpsdm', opd: 'BKPSDM', title: 'e-Kinerja', baseUrl: `http://10.20.0.${version}`,
  operations: [{ id: 'detail-pegawai', method: 'GET', path: '/pegawai/{nip}', idempotent: true, contentType: 'application/json' }],
  auth: { type: 'api-key', header: 'X-Api-Key', sealedValue: box.seal('kunci', 'service:ekinerja') },
  classification: {}, timeoutMs: 1000, status: 'active', createdAt: '2026-12-07T00:00:00Z', updatedAt: '2026-12-07T00:00:00Z', ...overrides,
});

describe('ServiceRuntimes', () => {
  it('keeps one runtime per version, named layanan:<id>, and drops it when the service changes or retires', async () => {
    const runtimes = new ServiceRuntimes({ box, logger: pino({ level: 'silent' }), settings: { retries: 1 } });
    const first = runtimes.of(service(1));
    expect(first.runtime.id).toBe('layanan:ekinerja');
    expect(first.runtime.baseUrl).toBe('http://10.20.0.1');
    expect(runtimes.of(service(1))).toBe(first);
    expect(await first.credentials.headers()).toEqual({ 'x-api-key': 'kunci' });

    const second = runtimes.of(service(2));
    expect(second).not.toBe(first);
    expect(second.runtime.baseUrl).toBe('http://10.20.0.2');
    runtimes.changed('ekinerja', service(2));
    expect(runtimes.of(service(2))).toBe(second);
    runtimes.changed('ekinerja', service(3, { status: 'retired' }));
    expect(runtimes.all([service(3, { status: 'retired' })])).toEqual([]);
    runtimes.shutdown();
  });

  it('lists a service whose secret does not open, and fails only its calls', async () => {
    const runtimes = new ServiceRuntimes({ box, logger: pino({ level: 'silent' }), settings: { retries: 1 } });
    const foreign = service(1, { auth: { type: 'api-key', header: 'X-Api-Key', sealedValue: SecretBox.ephemeral().seal('kunci', 'service:ekinerja') } });
    expect(runtimes.all([foreign]).map((runtime) => runtime.id)).toEqual(['layanan:ekinerja']);
    await expect(runtimes.of(foreign).credentials.headers()).rejects.toThrow(/does not open/);
    runtimes.shutdown();
  });

  it('calls a service through HTTP_PROXY when its runtime was made under it, directly when NO_PROXY names its host', async () => {
    const upstream = createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ nip: req.url?.split('/').pop() })));
    const baseUrl = await listen(upstream);
    const proxy = await startForwardProxy();
    const runtimes = new ServiceRuntimes({ box, logger: pino({ level: 'silent' }), settings: { retries: 0 } });
    const call = (version: number) => runtimes.of(service(version, { baseUrl })).runtime.call('detail-pegawai', { method: 'GET', path: '/pegawai/198001012006041001', headers: {} }, (response) => response, { idempotent: true });
    try {
      for (const name of proxyVariables) vi.stubEnv(name, '');
      vi.stubEnv('HTTP_PROXY', proxy.url);
      const proxied = await call(1);
      expect([proxied.status, proxied.body, proxied.headers.via]).toEqual([200, { nip: '198001012006041001' }, '1.1 test-proxy']);
      expect(proxy.proxied.map((request) => request.url)).toEqual([`${baseUrl}/pegawai/198001012006041001`]);
      // A new version gets a new runtime, which reads the environment again.
      vi.stubEnv('NO_PROXY', '127.0.0.1');
      const direct = await call(2);
      expect([direct.status, direct.headers.via]).toEqual([200, undefined]);
      expect(proxy.proxied).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
      runtimes.shutdown();
      await Promise.all([proxy.close(), closeServer(upstream)]);
    }
  });
});
