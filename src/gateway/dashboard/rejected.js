// The rejected-records panel: the newest records each connector quarantined instead of
// publishing, with why. The native record is not shown here (it may hold personal data); the
// API gives it to operators cleared rahasia.
import { fillTable, h } from './dom.js';
import { formatDateTime, formatNumber } from './format.js';

/** lists: [{ connector, items }] from GET /v1/connectors/{id}/rejected. */
export function renderRejected(lists) {
  const rows = lists
    .flatMap(({ connector, items }) => items.map((item) => ({ connector, ...item })))
    .sort((a, b) => (a.last_rejected_at < b.last_rejected_at ? 1 : -1))
    .map((r) => h('tr', { 'data-testid': 'rejected-row', 'data-connector': r.connector, 'data-reason': r.reason },
      h('td', {}, h('time', { datetime: r.last_rejected_at, text: formatDateTime(r.last_rejected_at) })),
      h('td', { text: `${r.connector} · ${r.operation}` }),
      h('td', {}, h('strong', { text: r.reason })),
      h('td', { class: 'reason-cell', text: r.detail }),
      h('td', { text: `rekaman ke-${r.index} ${r.via === 'poll' ? `halaman ${r.cursor ?? 'pertama'}` : 'kiriman'}` }),
      h('td', { text: formatNumber(r.times) })));
  fillTable('rejected-rows', rows, 6, 'Tidak ada rekaman yang ditolak.');
}
