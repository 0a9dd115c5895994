// Indonesian wording and number/time formatting for the dashboard. No DOM here.

export const stateLabels = { up: 'Normal', degraded: 'Terganggu', down: 'Mati' };
export const circuitLabels = { closed: 'Tertutup (normal)', 'half-open': 'Setengah terbuka (menguji)', open: 'Terbuka (panggilan ditolak)' };
export const statusLabels = { parked: 'Menunggu tindakan', replayed: 'Sudah diputar ulang', discarded: 'Dibuang' };
export const readinessLabels = { up: 'Siap', degraded: 'Siap, terganggu', down: 'Tidak siap' };

const numbers = new Intl.NumberFormat('id-ID');
const percent = new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat('id-ID', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const clock = new Intl.DateTimeFormat('id-ID', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const relative = new Intl.RelativeTimeFormat('id-ID', { numeric: 'auto' });

export const formatNumber = (value) => (value === null || value === undefined ? '–' : numbers.format(value));
export const formatPercent = (value) => (value === null || value === undefined ? '–' : percent.format(value));
export const formatMs = (value) => (value === null || value === undefined ? '–' : `${numbers.format(Math.round(value))} ms`);
export const formatClock = (date) => clock.format(date);

/** "08.30.15" today, "12 Nov 08.30.15" on another day. */
export function formatDateTime(iso, now = Date.now()) {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Date(now).toDateString() === date.toDateString() ? clock.format(date) : dateTime.format(date);
}

/** "2 menit yang lalu", "dalam 3 jam" */
export function formatAgo(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const steps = [[60, 'second'], [3600, 'minute'], [86400, 'hour'], [Infinity, 'day']];
  let divisor = 1;
  for (const [limit, unit] of steps) {
    if (Math.abs(seconds) < limit) return relative.format(Math.round(seconds / divisor), unit);
    divisor = limit;
  }
  return '';
}

/**
 * Pretty-prints JSON text without losing digits: numbers beyond what a double holds (big
 * integers from upstream systems) are kept exactly as written, where the browser can
 * (JSON.parse source text access); elsewhere it falls back to an ordinary parse.
 */
export function prettyJson(text) {
  const lossless = typeof JSON.rawJSON === 'function'
    ? JSON.parse(text, (_key, value, context) => (typeof value === 'number' && context && typeof context.source === 'string' ? JSON.rawJSON(context.source) : value))
    : JSON.parse(text);
  return { value: lossless, text: (part) => JSON.stringify(part, null, 2) };
}
