// Credentials of the test clients in test/fixtures/clients.yaml (their SHA-256 is there).
export const testKeys = {
  /** role operator, clearance rahasia, every right */
  operator: 'uji-kunci-operator-rahasia',
  /** an OPD app cleared for terbatas: SIAK, complaints, uji.* events */
  terbatas: 'uji-kunci-aplikasi-terbatas',
  /** an app cleared for publik only */
  publik: 'uji-kunci-aplikasi-publik',
  /** authenticated, but holds no right */
  noRights: 'uji-kunci-tanpa-hak',
} as const;

/** fetch with a test client's API key (the operator's unless told otherwise). */
export function hubFetch(url: string, init: RequestInit = {}, key: string = testKeys.operator): Promise<Response> {
  return fetch(url, { ...init, headers: { 'x-api-key': key, ...(init.headers as Record<string, string> | undefined) } });
}
