// The webhook subscriptions panel: those that need an operator (paused, failing, or holding dead
// letters), with why, and a "resume" button on a paused one for an operator whose rights allow it
// (subscriptions:manage).
import { api } from './api.js';
import { fillTable, h } from './dom.js';
import { formatNumber } from './format.js';

const state = { active: 'aktif', failing: 'gagal', paused: 'dijeda' };

/** Whether `rights` (with `*` matching any run of characters) hold `right`. */
export function holds(rights, right) {
  return rights.some((held) => new RegExp(`^${held.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(right));
}

/** subscriptions: GET /v1/subscriptions; canResume: the operator holds subscriptions:manage. */
export function renderSubscriptions(subscriptions, canResume) {
  const rows = subscriptions.filter((s) => s.health.state !== 'active' || s.health.dead_letters > 0).map((s) => h('tr', { 'data-testid': 'webhook-row', 'data-id': s.id, 'data-state': s.health.state },
    h('td', { class: 'id-cell', text: s.id }), h('td', { text: s.client_id }), h('td', {}, h('span', { class: `status ${s.health.state}`, text: state[s.health.state] ?? s.health.state })),
    h('td', { text: formatNumber(s.health.dead_letters) }), h('td', { class: 'reason-cell', text: s.paused_reason ?? s.health.last_error ?? '—' }),
    h('td', {}, s.health.state === 'paused' && canResume ? h('button', { type: 'button', class: 'primary', 'data-action': 'resume', 'data-id': s.id, 'data-testid': `resume-${s.id}` }, 'Lanjutkan') : null)));
  fillTable('webhook-rows', rows, 6, 'Semua langganan webhook sehat.');
}

/** Resumes a paused subscription; the sentence to show the operator. */
export async function resume(id) {
  try {
    await api.resumeSubscription(id);
    return `Langganan ${id} dilanjutkan; pengiriman berjalan lagi.`;
  } catch (error) {
    return `Langganan ${id} tidak dilanjutkan: ${error.message}`;
  }
}
