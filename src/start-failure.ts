// What `npm start` prints when the hub cannot start: one line for what a person can fix (the
// configuration, a store, a connector folder, the port), the whole error (with its stack) for
// anything else, which is a bug to report.
import { ConfigError } from './config/config.js';
import { ManifestError } from './connectors/manifest.js';
import { StoreError } from './storage/sqlite-store.js';

export function startFailure(error: unknown): unknown {
  if (error instanceof ConfigError || error instanceof StoreError || error instanceof ManifestError) return `penghubung: ${error.message}`;
  const failed = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (failed?.syscall === 'listen') {
    if (failed.code === 'EADDRINUSE') return `penghubung: port ${failed.port} is in use; set http.port in config or PENGHUBUNG_HTTP__PORT`;
    if (failed.code === 'EACCES') return `penghubung: not allowed to listen on port ${failed.port} (ports below 1024 need privileges); set http.port in config or PENGHUBUNG_HTTP__PORT`;
    if (failed.code === 'EADDRNOTAVAIL') return `penghubung: ${failed.address} is not an address of this machine; set http.host in config or PENGHUBUNG_HTTP__HOST`;
  }
  return error;
}
