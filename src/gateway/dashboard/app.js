/* global document, window, Node, URLSearchParams */
// The operators' dashboard: every few seconds it reads the status API (/v1/connectors), the
// dead letters (/v1/dead-letters), the rejected records of connectors that have some, the OPD
// services and pending access requests (/v1/services, /v1/access-requests), and readiness
// (/health/ready), and redraws. Operators poll an operation now from its card. Latency and
// error-rate charts come from the samples the page keeps between refreshes (the last five
// minutes). Operators inspect, replay and discard dead letters from here. Everything is built
// with DOM methods and textContent: nothing from the hub is ever parsed as HTML.
import { api } from './api.js';
import { renderSparkline } from './charts.js';
import { fillTable, h } from './dom.js';
import { renderFlows, wireFlows } from './flows.js';
import { pollSection, pollNow } from './polls.js';
import { renderRejected } from './rejected.js';
import { renderServices } from './services.js';
import { holds, renderSubscriptions, resume } from './subscriptions.js';
import {
  circuitLabels, formatAgo, formatClock, formatDateTime, formatMs, formatNumber, formatPercent,
  prettyJson, readinessLabels, stateLabels, statusLabels,
} from './format.js';

const requested = Number(new URLSearchParams(window.location.search).get('refresh'));
const refreshMs = (Number.isFinite(requested) && requested >= 1 && requested <= 300 ? requested : 3) * 1000;
const historyMs = 5 * 60_000;

const $ = (id) => document.getElementById(id);
const ui = {
  cards: $('connectors'),
  rows: $('dead-letter-rows'),
  outbox: document.querySelector('[data-testid="outbox-backlog"]'),
  readiness: document.querySelector('[data-testid="readiness"]'),
  readinessStatus: document.querySelector('[data-testid="readiness-status"]'),
  readinessBus: document.querySelector('[data-testid="readiness-bus"]'),
  refreshedAt: document.querySelector('[data-testid="refreshed-at"]'),
  refreshSeconds: document.querySelector('[data-testid="refresh-seconds"]'),
  main: document.querySelector('main'),
  auto: $('auto-refresh'),
  refreshNow: $('refresh-now'),
  notice: $('notice'),
  error: $('refresh-error'),
  filterConnector: $('filter-connector'),
  filterStatus: $('filter-status'),
  inspect: $('inspect-dialog'),
  discard: $('discard-dialog'),
  discardForm: $('discard-form'),
  discardReason: $('discard-reason'),
  discardError: $('discard-error'),
  discardWhat: $('discard-what'),
};

/** connector id → [{ t, p95, errorRate }] */
const samples = new Map();
let connectors = [];
/** Who is signed in (GET /v1/me): their name in the header, their rights decide which buttons show. */
let me;
let timer;
let running = false;
let again = false;
/** Dead letters with an action under way: their buttons stay disabled. */
const busy = new Set();

function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
}

// ─── refresh ────────────────────────────────────────────────────────────────────────────

async function refresh() {
  if (running) {
    again = true;
    return;
  }
  running = true;
  // Assistive technology (and a test closing the page) can tell a refresh is under way.
  ui.main.setAttribute('aria-busy', 'true');
  window.clearTimeout(timer);
  try {
    const filter = { connector: ui.filterConnector.value, status: ui.filterStatus.value };
    const [status, letters, ready, flows, audit, webhooks] = await Promise.allSettled([api.connectors(), api.deadLetters(filter), api.readiness(), api.flows(), api.audit(), api.subscriptions()]);
    const failures = [];
    if (status.status === 'fulfilled') renderConnectors(status.value);
    else failures.push(`status konektor (${status.reason.message})`);
    if (status.status === 'fulfilled') {
      const withRejections = status.value.connectors.filter((c) => Object.keys(c.rejected_records ?? {}).length > 0);
      const lists = await Promise.allSettled(withRejections.map(async (c) => ({ connector: c.id, items: (await api.rejected(c.id)).items })));
      renderRejected(lists.filter((l) => l.status === 'fulfilled').map((l) => l.value));
      const failed = lists.find((l) => l.status === 'rejected');
      if (failed) failures.push(`rekaman ditolak (${failed.reason.message})`);
    }
    if (letters.status === 'fulfilled') renderDeadLetters(letters.value.dead_letters);
    else failures.push(`surat mati (${letters.reason.message})`);
    if (ready.status === 'fulfilled') renderReadiness(ready.value);
    else failures.push(`kesiapan hub (${ready.reason.message})`);
    if (flows.status === 'fulfilled') renderFlows(flows.value.flows);
    else failures.push(`alur layanan (${flows.reason.message})`);
    if (audit.status === 'fulfilled') renderAudit(audit.value.entries);
    else failures.push(`audit (${audit.reason.message})`);
    if (webhooks.status === 'fulfilled') renderSubscriptions(webhooks.value.subscriptions, holds(me?.rights ?? [], 'subscriptions:manage'));
    else failures.push(`langganan webhook (${webhooks.reason.message})`);
    const [services, pending] = await Promise.allSettled([api.services(), api.pendingAccessRequests()]);
    if (services.status === 'fulfilled' && pending.status === 'fulfilled') renderServices(services.value.services, pending.value.access_requests);
    else failures.push(`layanan OPD (${(services.reason ?? pending.reason).message})`);
    const now = new Date();
    if (failures.length) {
      ui.error.textContent = `Gagal memperbarui ${failures.join(', ')} pada ${formatClock(now)}. Data yang tampil mungkin sudah usang.`;
      ui.error.hidden = false;
    } else {
      ui.error.hidden = true;
      ui.refreshedAt.textContent = formatClock(now);
      ui.refreshedAt.setAttribute('datetime', now.toISOString());
    }
  } finally {
    running = false;
    ui.main.setAttribute('aria-busy', String(again));
    if (again) {
      again = false;
      void refresh();
    } else if (ui.auto.checked) {
      timer = window.setTimeout(refresh, refreshMs);
    }
  }
}

// ─── flows and audit ────────────────────────────────────────────────────────────────────

/** A summary row (the dashboard's own reads in one window) says how many reads it stands for. */
const auditOperation = (entry) => (entry.folded ? `${formatNumber(entry.folded.count)} bacaan dasbor (${formatClock(new Date(entry.folded.first))}–${formatClock(new Date(entry.folded.last))})` : entry.operation);

function renderAudit(entries) {
  const rows = entries.map((entry) => h('tr', { 'data-testid': 'audit-row', 'data-operation': entry.operation, title: entry.folded ? Object.entries(entry.folded.routes).map(([route, n]) => `${route}: ${n}`).join('\n') : undefined },
    h('td', {}, formatClock(new Date(entry.time))), h('td', {}, entry.client ?? 'anonim'), h('td', {}, auditOperation(entry)),
    h('td', {}, `${entry.method} ${entry.route}`), h('td', {}, String(entry.status)), h('td', {}, entry.outcome)));
  fillTable('audit-rows', rows, 6, 'Belum ada catatan audit.');
}

// ─── connectors ─────────────────────────────────────────────────────────────────────────

function renderConnectors(body) {
  const now = Date.now();
  ui.outbox.textContent = formatNumber(body.outbox_backlog);
  connectors = body.connectors;
  updateConnectorFilter();
  ui.cards.setAttribute('aria-busy', 'false');
  if (!connectors.length) {
    ui.cards.replaceChildren(h('p', { class: 'empty', text: 'Tidak ada konektor yang terpasang.' }));
    return;
  }
  const cards = connectors.map((connector) => {
    const history = (samples.get(connector.id) ?? []).filter((s) => s.t >= now - historyMs);
    history.push({ t: now, p95: connector.latency_ms_5m?.p95 ?? null, errorRate: connector.error_rate_5m });
    samples.set(connector.id, history);
    return renderCard(connector, history, now);
  });
  ui.cards.replaceChildren(...cards);
}

function renderCard(c, history, now) {
  const state = ['up', 'degraded', 'down'].includes(c.state) ? c.state : 'unknown';
  const titleId = `card-${c.id}-title`;
  const quota = c.quota === null
    ? h('dd', { text: 'Tidak dibatasi' })
    : c.quota.status === 'exhausted'
      ? h('dd', { class: 'warn', 'data-testid': `quota-${c.id}` }, `Habis — pulih ${formatDateTime(c.quota.resetsAt, now)}`)
      : h('dd', { 'data-testid': `quota-${c.id}` }, 'Tersedia');
  const circuitClass = c.circuit.state === 'open' ? 'bad' : c.circuit.state === 'half-open' ? 'warn' : undefined;
  const forced = c.circuit.forced ? ` — dipaksa ${c.circuit.forced === 'open' ? 'terbuka' : 'tertutup'} oleh operator` : '';
  const errorClass = (c.error_rate_5m ?? 0) > 0.2 ? 'bad' : (c.error_rate_5m ?? 0) > 0 ? 'warn' : undefined;
  const when = (iso) => (iso ? `${formatDateTime(iso, now)} · ${formatAgo(iso, now)}` : 'belum pernah');
  const fact = (label, value) => [h('dt', { text: label }), value instanceof Node ? value : h('dd', { text: value })];
  const stat = (label, value, props = {}, note = null) => h('div', { class: 'stat' },
    h('span', { class: 'stat-label', text: label }),
    h('span', { ...props, class: ['stat-value', props.class].filter(Boolean).join(' ') }, value),
    note ? h('span', { class: 'stat-note', text: note }) : null);
  const from = Math.max(now - historyMs, history[0]?.t ?? now);
  const maxLatency = Math.max(0, ...history.map((s) => s.p95 ?? 0));
  const maxErrors = Math.max(0, ...history.map((s) => s.errorRate ?? 0));

  return h('article', { class: 'card', 'data-testid': `connector-${c.id}`, 'data-state': state, 'data-circuit': c.circuit.state, 'aria-labelledby': titleId },
    h('div', { class: 'card-head' },
      h('div', { class: 'card-title' },
        h('h3', { id: titleId, text: c.name }),
        h('p', { class: 'owner', title: c.owner, text: `${c.id} · ${c.owner}` })),
      h('span', { class: `badge ${state}`, 'data-testid': `state-${c.id}` }, stateLabels[state] ?? 'Tidak diketahui')),
    h('div', { class: 'stats' },
      stat('Latensi p95', formatMs(c.latency_ms_5m?.p95), { 'data-testid': `p95-${c.id}` }, `p50 ${formatMs(c.latency_ms_5m?.p50)}`),
      stat('Tingkat galat', formatPercent(c.error_rate_5m), { class: errorClass, 'data-testid': `error-rate-${c.id}` }, `${formatNumber(c.calls_5m)} panggilan/5 mnt`),
      stat('Antrean pengiriman', c.delivery_backlog === null ? '?' : formatNumber(c.delivery_backlog), { 'data-testid': `backlog-${c.id}` }, `${formatNumber(c.in_flight.active)} aktif · ${formatNumber(c.in_flight.waiting)} antre`),
      stat('Surat mati', formatNumber(c.dead_letters), { class: c.dead_letters > 0 ? 'bad' : undefined, 'data-testid': `dead-letters-${c.id}` })),
    h('dl', { class: 'facts' },
      fact('Sirkuit', h('dd', { class: circuitClass, 'data-testid': `circuit-${c.id}` }, `${circuitLabels[c.circuit.state] ?? c.circuit.state}${forced}`)),
      fact('Kuota harian', quota),
      fact('Terakhir berhasil', h('dd', { 'data-testid': `last-success-${c.id}` }, when(c.last_success_at))),
      fact('Terakhir gagal', h('dd', { 'data-testid': `last-failure-${c.id}` },
        when(c.last_failure_at),
        c.last_failure ? h('span', { class: 'failure-reason', title: c.last_failure, text: truncate(c.last_failure, 90) }) : null))),
    h('div', { class: 'charts' },
      h('figure', { class: 'chart' },
        h('figcaption', {}, h('span', { text: 'Latensi p95' }), h('span', { text: `maks ${formatMs(maxLatency)}` })),
        renderSparkline(document, history.map((s) => ({ t: s.t, v: s.p95 })), {
          kind: 'latency', from, to: now, minMax: 1,
          label: `Grafik latensi p95 ${c.name}: ${history.length} sampel, terakhir ${formatMs(c.latency_ms_5m?.p95)}`,
        })),
      h('figure', { class: 'chart' },
        h('figcaption', {}, h('span', { text: 'Tingkat galat' }), h('span', { text: `maks ${formatPercent(maxErrors)}` })),
        renderSparkline(document, history.map((s) => ({ t: s.t, v: s.errorRate })), {
          kind: 'errors', from, to: now, minMax: 0.05,
          label: `Grafik tingkat galat ${c.name}: ${history.length} sampel, terakhir ${formatPercent(c.error_rate_5m)}`,
        }))),
    pollSection(c, now));
}

function updateConnectorFilter() {
  const select = ui.filterConnector;
  const wanted = ['', ...connectors.map((c) => c.id)];
  const present = [...select.options].map((o) => o.value);
  if (wanted.join('\n') === present.join('\n')) return;
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '', text: 'Semua konektor' }), ...connectors.map((c) => h('option', { value: c.id, text: `${c.name} (${c.id})` })));
  select.value = wanted.includes(chosen) ? chosen : '';
}

function renderReadiness(body) {
  const status = ['up', 'degraded', 'down'].includes(body.status) ? body.status : 'unknown';
  ui.readiness.dataset.state = status;
  ui.readinessStatus.textContent = readinessLabels[status] ?? body.status;
  const bus = body.checks?.bus;
  const outbox = body.checks?.outbox;
  const parts = [];
  if (bus) parts.push(`Bus ${bus.kind}: ${bus.status === 'up' ? 'terhubung' : 'terputus'}`);
  if (outbox?.oldest_pending_at) parts.push(`tertua menunggu ${formatAgo(outbox.oldest_pending_at)}`);
  ui.readinessBus.textContent = parts.join(' · ');
}

// ─── dead letters ───────────────────────────────────────────────────────────────────────

const resolutions = {
  'replayed; delivered': 'Terkirim ke sistem hulu',
  'replayed; skipped': 'Sudah pernah terkirim; tidak dikirim lagi',
  'replayed; failed again and parked anew': 'Gagal lagi; masuk surat mati baru',
};

function renderDeadLetters(letters) {
  const tbody = ui.rows;
  const existing = new Map([...tbody.querySelectorAll('tr[data-testid="dead-letter-row"]')].map((row) => [row.dataset.id, row]));
  if (!letters.length) {
    tbody.replaceChildren(h('tr', { class: 'empty-row' }, h('td', { colspan: 8, text: ui.filterStatus.value || ui.filterConnector.value ? 'Tidak ada surat mati yang cocok dengan saringan.' : 'Tidak ada surat mati. Semua pengiriman berhasil.' })));
    return;
  }
  for (const placeholder of tbody.querySelectorAll('tr.empty-row')) placeholder.remove();
  const keep = new Set();
  letters.forEach((letter, index) => {
    keep.add(letter.id);
    const signature = JSON.stringify([letter, busy.has(letter.id), blockedReason(letter)]);
    let row = existing.get(letter.id);
    if (!row) {
      row = h('tr', { 'data-testid': 'dead-letter-row', 'data-id': letter.id });
    }
    if (row.dataset.signature !== signature) fillRow(row, letter, signature);
    if (tbody.children[index] !== row) tbody.insertBefore(row, tbody.children[index] ?? null);
  });
  for (const [id, row] of existing) if (!keep.has(id)) row.remove();
}

/** Why a replay would fail at once now (the connector's circuit is open), or null. */
function blockedReason(letter) {
  const connector = connectors.find((c) => c.id === letter.connector);
  return connector?.circuit.state === 'open' ? `Sirkuit ${connector.name} terbuka; putar ulang setelah pulih.` : null;
}

function fillRow(row, letter, signature) {
  const focused = row.contains(document.activeElement) ? document.activeElement.dataset.action : undefined;
  row.dataset.signature = signature;
  row.dataset.status = letter.status;
  row.dataset.eventId = letter.event_id;
  const id = letter.id;
  const disabled = busy.has(id);
  const blocked = blockedReason(letter);
  const resolution = letter.resolution ? (resolutions[letter.resolution] ?? (letter.status === 'discarded' ? `Alasan: ${letter.resolution}` : letter.resolution)) : null;
  const actions = [h('button', { type: 'button', 'data-action': 'inspect', 'data-id': id, 'data-testid': `inspect-${id}`, disabled, 'aria-label': `Periksa ${letter.event_id}` }, 'Periksa')];
  if (letter.status === 'parked') {
    actions.push(
      h('button', { type: 'button', class: 'primary', 'data-action': 'replay', 'data-id': id, 'data-testid': `replay-${id}`, disabled: disabled || blocked !== null, 'aria-label': `Putar ulang ${letter.event_id}`, title: blocked ?? undefined }, 'Putar Ulang'),
      h('button', { type: 'button', class: 'danger', 'data-action': 'discard', 'data-id': id, 'data-testid': `discard-${id}`, disabled, 'aria-label': `Buang ${letter.event_id}` }, 'Buang'),
    );
    if (blocked) actions.push(h('span', { class: 'blocked', text: blocked }));
  }
  row.replaceChildren(
    h('td', {}, h('time', { datetime: letter.failed_at, text: formatDateTime(letter.failed_at) })),
    h('td', { text: `${letter.connector} · ${letter.operation}` }),
    h('td', { text: letter.type }),
    h('td', { class: 'id-cell', text: letter.event_id }),
    h('td', { class: 'reason-cell', title: letter.reason }, h('strong', { text: letter.code }), ' ', truncate(letter.reason, 160)),
    h('td', { text: formatNumber(letter.attempts) }),
    h('td', {},
      h('span', { class: `status ${letter.status}`, 'data-testid': `status-${id}` }, statusLabels[letter.status] ?? letter.status),
      resolution ? h('span', { class: 'resolution', text: `${resolution}${letter.resolved_at ? ` (${formatDateTime(letter.resolved_at)})` : ''}` }) : null),
    h('td', {}, h('div', { class: 'actions' }, actions)),
  );
  if (focused) row.querySelector(`[data-action="${focused}"]:not(:disabled)`)?.focus();
}

function truncate(text, length) {
  return text && text.length > length ? `${text.slice(0, length - 1)}…` : (text ?? '');
}

async function replay(id, row) {
  const eventId = row?.dataset.eventId ?? id;
  busy.add(id);
  showNotice(`Memutar ulang ${eventId}…`);
  await refresh();
  try {
    const result = await api.replay(id);
    const words = {
      delivered: 'terkirim ke sistem hulu',
      skipped: 'sudah pernah terkirim, tidak dikirim lagi',
      'dead-lettered': 'gagal lagi dan masuk surat mati baru',
    };
    const outcome = String(result.outcome);
    const said = words[outcome] ?? (outcome.startsWith('deferred') ? 'ditunda, sirkuit sistem hulu masih terbuka; surat tetap menunggu, putar ulang nanti' : outcome);
    showNotice(`Putar ulang ${eventId}: ${said}.`);
  } catch (error) {
    showNotice(`Putar ulang ${eventId} gagal: ${error.message}`);
  } finally {
    busy.delete(id);
    await refresh();
    ui.rows.querySelector(`tr[data-id="${cssEscape(id)}"] [data-action="inspect"]`)?.focus();
  }
}

async function inspect(id) {
  const facts = $('inspect-facts');
  const reason = $('inspect-reason');
  const event = $('inspect-event');
  const headers = $('inspect-headers');
  facts.replaceChildren();
  reason.textContent = 'Memuat…';
  event.textContent = '';
  headers.textContent = '';
  ui.inspect.showModal();
  try {
    const text = await api.deadLetterText(id);
    const letter = JSON.parse(text);
    const exact = prettyJson(text);
    const rows = [
      ['ID surat mati', letter.id], ['ID event', letter.event_id], ['Jenis event', letter.type],
      ['Konektor', letter.connector], ['Operasi', letter.operation], ['Kode', letter.code],
      ['Percobaan', formatNumber(letter.attempts)], ['Gagal pada', formatDateTime(letter.failed_at)],
      ['Status', statusLabels[letter.status] ?? letter.status],
    ];
    if (letter.resolved_at) rows.push(['Diselesaikan', `${formatDateTime(letter.resolved_at)} — ${resolutions[letter.resolution] ?? letter.resolution}`]);
    facts.replaceChildren(...rows.flatMap(([label, value]) => [h('dt', { text: label }), h('dd', { text: value })]));
    reason.textContent = letter.reason || '(tanpa alasan)';
    event.textContent = exact.text(exact.value.event);
    headers.textContent = exact.text(exact.value.headers);
  } catch (error) {
    reason.textContent = `Gagal memuat: ${error.message}`;
  }
}

let discarding;
function openDiscard(id, row) {
  discarding = { id, row, opener: document.activeElement };
  ui.discardWhat.textContent = `Event ${row?.dataset.eventId ?? id} tidak akan dikirim. Tindakan ini dicatat bersama alasannya.`;
  ui.discardReason.value = '';
  ui.discardError.hidden = true;
  ui.discard.showModal();
  ui.discardReason.focus();
}

ui.discardForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!discarding) return;
  const reason = ui.discardReason.value.trim();
  if (reason.length < 3) {
    ui.discardError.textContent = 'Tuliskan alasannya, minimal 3 huruf.';
    ui.discardError.hidden = false;
    ui.discardReason.focus();
    return;
  }
  const { id, row } = discarding;
  const eventId = row?.dataset.eventId ?? id;
  busy.add(id);
  try {
    await api.discard(id, reason);
    ui.discard.close();
    showNotice(`${eventId} dibuang: ${reason}`);
  } catch (error) {
    ui.discardError.textContent = `Gagal membuang: ${error.message}`;
    ui.discardError.hidden = false;
  } finally {
    busy.delete(id);
    await refresh();
  }
});

ui.discard.addEventListener('close', () => {
  const opener = discarding?.opener;
  discarding = undefined;
  if (opener?.isConnected) opener.focus();
  else $('dead-letters-heading').focus();
});

for (const dialog of [ui.inspect, ui.discard]) {
  dialog.addEventListener('click', (event) => {
    if (event.target.closest('[data-close]')) dialog.close();
  });
}

function cssEscape(value) {
  return window.CSS?.escape ? window.CSS.escape(value) : value.replace(/["\\]/g, '\\$&');
}

ui.rows.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || button.disabled) return;
  const id = button.dataset.id;
  const row = button.closest('tr');
  if (button.dataset.action === 'inspect') void inspect(id);
  else if (button.dataset.action === 'replay') void replay(id, row);
  else if (button.dataset.action === 'discard') openDiscard(id, row);
});

ui.cards.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action="poll"]');
  if (!button || button.disabled) return;
  button.disabled = true;
  showNotice(`Menarik ${button.dataset.connector}/${button.dataset.operation}…`);
  showNotice(await pollNow(button.dataset.connector, button.dataset.operation));
  await refresh();
});

// ─── controls ───────────────────────────────────────────────────────────────────────────

ui.refreshSeconds.textContent = String(refreshMs / 1000);
ui.auto.addEventListener('change', () => {
  if (ui.auto.checked) void refresh();
  else window.clearTimeout(timer);
});
ui.refreshNow.addEventListener('click', () => void refresh());
ui.filterConnector.addEventListener('change', () => void refresh());
ui.filterStatus.addEventListener('change', () => void refresh());
$('dead-letter-filters').addEventListener('submit', (event) => event.preventDefault());

$('webhook-rows').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action="resume"]');
  if (!button || button.disabled) return;
  button.disabled = true;
  showNotice(await resume(button.dataset.id));
  await refresh();
});
wireFlows();

void api.me().then((signedIn) => {
  me = signedIn;
  const who = $('operator');
  who.textContent = me.name;
  who.title = me.id;
  who.dataset.id = me.id;
}, () => undefined).finally(() => void refresh());
