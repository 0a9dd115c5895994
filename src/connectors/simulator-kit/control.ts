// Calling a simulator from a test or a demo script: its control API under /_simulator (or any
// of its paths), JSON in and JSON out, the status kept for the caller to check.
export interface SimulatorAnswer {
  status: number;
  /** JSON parsed, other text as it is, undefined when empty. */
  body: unknown;
}

export async function callSimulator(url: string, method: string, path: string, body?: unknown): Promise<SimulatorAnswer> {
  const response = await fetch(new URL(path, url), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, body: text === '' ? undefined : json ? (JSON.parse(text) as unknown) : text };
}
