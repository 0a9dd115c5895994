// Mutual TLS: over HTTPS, a client certificate signed by the configured CA authenticates as the
// client whose certificateSha256 lists it; no certificate, or one from elsewhere, does not.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { hubBeforeAll } from '../support/hub.js';

const dir = mkdtempSync(join(tmpdir(), 'penghubung-mtls-'));
const file = (name: string): string => join(dir, name);
const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });

/** A key and a certificate signed by `ca` (or self-signed when there is none). */
function certificate(name: string, subject: string, ca?: string, san?: string): void {
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file(`${name}.key`), '-subj', subject, '-out', file(`${name}.csr`));
  if (san) writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
  if (ca) openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${ca}.crt`), '-CAkey', file(`${ca}.key`), '-CAcreateserial', '-days', '2', '-out', file(`${name}.crt`), ...(san ? ['-extfile', file(`${name}.ext`)] : []));
  else openssl('x509', '-req', '-in', file(`${name}.csr`), '-signkey', file(`${name}.key`), '-days', '2', '-out', file(`${name}.crt`));
}

beforeAll(async () => {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('ca.key'), '-subj', '/CN=CA Diskominfo (uji)', '-days', '2', '-out', file('ca.crt'));
  certificate('server', '/CN=127.0.0.1', 'ca', 'IP:127.0.0.1');
  certificate('opd', '/CN=aplikasi-opd-mtls', 'ca');
  certificate('asing', '/CN=aplikasi-asing');
  const fingerprint = createHash('sha256').update(new X509Certificate(readFileSync(file('opd.crt'))).raw).digest('hex');
  writeFileSync(file('clients.yaml'), `clients:\n  - id: aplikasi-opd-mtls\n    name: Aplikasi OPD dengan sertifikat\n    opd: Diskominfo\n    role: app\n    clearance: publik\n    rights: [catalog:read]\n    certificateSha256: [${fingerprint}]\n`);
});
// Started after the certificates and the clients file above exist.
const hub = hubBeforeAll({ security: { clientsFile: file('clients.yaml'), tls: { enabled: true, certFile: file('server.crt'), keyFile: file('server.key'), clientCaFile: file('ca.crt') } } });

function get(path: string, client?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, hub().url);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, ca: readFileSync(file('ca.crt')), ...(client ? { cert: readFileSync(file(`${client}.crt`)), key: readFileSync(file(`${client}.key`)) } : {}) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

it('serves HTTPS and authenticates a client by its certificate', async () => {
  expect(hub().url).toMatch(/^https:/);
  expect(await get('/health/live')).toBe(200);
  expect(await get('/v1/catalog', 'opd')).toBe(200);
  // The certificate grants what its client holds, and nothing more.
  expect(await get('/v1/connectors', 'opd')).toBe(403);
});

it('refuses requests without a certificate, or with one the CA did not sign', async () => {
  expect(await get('/v1/catalog')).toBe(401);
  expect(await get('/v1/catalog', 'asing')).toBe(401);
});
