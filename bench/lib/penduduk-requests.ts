// The query benchmarks' request: GET /v1/penduduk/{nik} through the served residents in turn
// (bench/lib/residents.ts), so no answer comes from one warm row; the same request shape for the
// hub (with its API key) and for the baselines that stand in for it (no key).
import type { Request as CannonRequest } from 'autocannon';

/** Hands out `niks` in turn, round and round. */
export function inTurn(niks: readonly string[]): () => string {
  let turn = 0;
  return () => niks[turn++ % niks.length]!;
}

/** One autocannon request for GET /v1/penduduk/{nik}, each sent for the next of `niks`. */
export function pendudukRequest(niks: readonly string[], headers: Record<string, string> = {}): CannonRequest {
  const next = inTurn(niks);
  return { method: 'GET', headers, setupRequest: (request) => ({ ...request, path: `/v1/penduduk/${next()}` }) };
}
