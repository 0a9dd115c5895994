// The hub's listening server: plain HTTP by default (TLS usually ends at the regency's reverse
// proxy), or HTTPS, optionally asking clients for certificates signed by the configured CA so
// that a certificate can authenticate a client (mutual TLS, mapped by fingerprint).
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

export interface TlsSettings {
  enabled: boolean;
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

export function createServer(tls: TlsSettings, app: RequestListener): Server {
  if (!tls.enabled) return createHttpServer(app);
  return createHttpsServer({
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    ...(tls.clientCaFile
      ? // Ask, but do not demand: clients without a certificate still use keys or tokens.
        { ca: readFileSync(tls.clientCaFile), requestCert: true, rejectUnauthorized: false }
      : {}),
  }, app);
}
