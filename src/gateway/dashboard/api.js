/* global fetch, URLSearchParams, window */
// The hub's JSON APIs the dashboard reads and acts through. Failures become Errors whose
// message is the problem+json detail, in the hub's words. Requests go with the browser's
// same-origin session and `X-Requested-By: penghubung-dashboard`, the header the hub asks of
// changes made with a dashboard session (a cross-site form cannot send it); a 401 (no session,
// or it expired) sends the operator to the login page.

export const loginPath = '/dashboard/login';

async function request(path, options = {}) {
  const response = await fetch(path, {
    cache: 'no-store',
    credentials: 'same-origin',
    ...options,
    headers: { accept: 'application/json', 'x-requested-by': 'penghubung-dashboard', ...options.headers },
  });
  if (response.status === 401) {
    window.location.assign(loginPath);
    throw new Error('sesi berakhir; silakan masuk lagi');
  }
  const text = await response.text();
  if (!response.ok && !(options.allowStatus ?? []).includes(response.status)) {
    let detail = `HTTP ${response.status}`;
    try {
      const problem = JSON.parse(text);
      detail = [problem.title, problem.detail].filter(Boolean).join(': ') || detail;
    } catch {
      // not problem+json; the status says enough
    }
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return text;
}

const json = async (path, options) => JSON.parse(await request(path, options));
const post = (path, body) => json(path, { method: 'POST', ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

export const api = {
  /** Who is signed in (their own key: the audit log names them). */
  me: () => json('/v1/me'),
  connectors: () => json('/v1/connectors'),
  /** Ready answers 503 when the hub is not ready; the body still says why. */
  readiness: () => json('/health/ready', { allowStatus: [503] }),
  deadLetters: (filter) => {
    const query = new URLSearchParams({ limit: '100' });
    for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
    return json(`/v1/dead-letters?${query}`);
  },
  /** The letter as text, so the event can be shown without rounding big numbers. */
  deadLetterText: (id) => request(`/v1/dead-letters/${encodeURIComponent(id)}`),
  flows: () => json('/v1/flows'),
  flowInstances: (flow) => json(`/v1/flows/${encodeURIComponent(flow)}/instances?limit=20`),
  flowInstance: (flow, instance) => json(`/v1/flows/${encodeURIComponent(flow)}/instances/${encodeURIComponent(instance)}`),
  subscriptions: () => json('/v1/subscriptions'),
  resumeSubscription: (id) => post(`/v1/subscriptions/${encodeURIComponent(id)}/resume`),
  services: () => json('/v1/services'),
  pendingAccessRequests: () => json('/v1/access-requests?status=pending'),
  audit: () => json('/v1/audit/recent?limit=20'),
  rejected: (connector) => json(`/v1/connectors/${encodeURIComponent(connector)}/rejected?limit=10`),
  poll: (connector, operation) => post(`/v1/connectors/${encodeURIComponent(connector)}/operations/${encodeURIComponent(operation)}/poll`),
  replay: (id) => post(`/v1/dead-letters/${encodeURIComponent(id)}/replay`),
  discard: (id, reason) => post(`/v1/dead-letters/${encodeURIComponent(id)}/discard`, { reason }),
};
