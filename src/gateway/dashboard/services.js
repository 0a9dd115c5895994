// The OPD services panel: every registered service (owner, version, operations, status) and the
// access requests waiting for a decision, with their purpose. Decisions are made by the owner or
// an operator through the API (docs/SERVICES.md); the panel shows what waits.
import { fillTable, h } from './dom.js';
import { formatDateTime, formatNumber } from './format.js';

const serviceStatus = { active: 'aktif', retired: 'pensiun' };

/** services: GET /v1/services; pending: GET /v1/access-requests?status=pending. */
export function renderServices(services, pending) {
  const waiting = new Map();
  for (const request of pending) waiting.set(request.service, (waiting.get(request.service) ?? 0) + 1);
  const serviceRows = services.map((s) => h('tr', { 'data-testid': 'service-row', 'data-service': s.id, 'data-state': s.status },
    h('td', {}, h('strong', { text: s.id }), ` · ${s.title}`),
    h('td', { text: `${s.owner} (${s.opd})` }),
    h('td', { text: `v${s.version}` }),
    h('td', { text: formatNumber(s.operations.length) }),
    h('td', { text: serviceStatus[s.status] ?? s.status }),
    h('td', { 'data-testid': 'service-pending', text: formatNumber(waiting.get(s.id) ?? 0) })));
  fillTable('service-rows', serviceRows, 6, 'Belum ada layanan OPD yang terdaftar.');
  const requestRows = pending.map((r) => h('tr', { 'data-testid': 'access-request-row', 'data-service': r.service, 'data-client': r.client },
    h('td', {}, h('time', { datetime: r.requestedAt, text: formatDateTime(r.requestedAt) })),
    h('td', { text: r.service }),
    h('td', { text: r.client }),
    h('td', { text: r.operations === '*' ? 'semua operasi' : r.operations.join(', ') }),
    h('td', { class: 'reason-cell', text: r.purpose })));
  fillTable('access-request-rows', requestRows, 5, 'Tidak ada permintaan akses yang menunggu.');
}
