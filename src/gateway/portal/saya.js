/* global document, fetch */
// "Saya" (me): what the hub knows about the signed-in application, read with its own key from
// GET /v1/me, /v1/me/deliveries, /v1/me/dead-letters and /v1/me/subscriptions. The key is kept in
// this page's memory only (never stored); everything shown is set as text, never as HTML.
const form = document.querySelector('[data-testid="sign-in"]');
const keyInput = form.querySelector('[data-testid="api-key"]');
const signOut = form.querySelector('[data-testid="sign-out"]');
const panel = document.querySelector('[data-testid="me"]');
const hint = document.querySelector('[data-testid="me-hint"]');
const failure = document.querySelector('[data-testid="me-error"]');

/** Both languages of a label, shown one at a time by the page's lang (portal.css). */
function label(id, en) {
  const fragment = document.createDocumentFragment();
  for (const [lang, text] of [['id', id], ['en', en]]) {
    const span = document.createElement('span');
    span.dataset.lang = lang;
    span.textContent = text;
    fragment.append(span);
  }
  return fragment;
}

function cell(row, content, testId) {
  const td = document.createElement('td');
  if (typeof content === 'string') td.textContent = content;
  else td.append(content);
  if (testId) td.dataset.testid = testId;
  row.append(td);
}

function fill(table, rows, columns, emptyId, emptyEn) {
  const body = table.querySelector('tbody');
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = table.querySelectorAll('thead th').length;
    td.className = 'empty';
    td.append(label(emptyId, emptyEn));
    tr.append(td);
    body.append(tr);
    return;
  }
  for (const item of rows) {
    const tr = document.createElement('tr');
    for (const [content, testId] of columns(item)) cell(tr, content, testId);
    body.append(tr);
  }
}

const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');
const targetText = (t) => `${t.kind === 'upstream' ? `${t.connector}/${t.operation}` : `webhook ${t.subscription}`}: ${t.status} (${t.attempts}×)${t.reason ? ` — ${t.reason}` : ''}`;

async function read(key, path) {
  const response = await fetch(path, { headers: { 'x-api-key': key, accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${path}: ${response.status} ${body.title ?? ''}${body.detail ? ` — ${body.detail}` : ''}`);
  return body;
}

function showIdentity(me) {
  const facts = document.querySelector('[data-testid="me-identity"]');
  facts.replaceChildren();
  const rows = [
    [label('ID aplikasi', 'Application id'), me.id, 'me-id'],
    [label('Nama', 'Name'), me.name, 'me-name'],
    ['OPD', me.opd ?? '—', 'me-opd'],
    [label('Peran', 'Role'), me.role, 'me-role'],
    [label('Izin klasifikasi', 'Clearance'), me.clearance, 'me-clearance'],
    [label('Batas permintaan', 'Rate limit'), me.rate_limit ? `${me.rate_limit.remaining} / ${me.rate_limit.per_minute} per menit` : '—', 'me-rate-limit'],
    [label('Sumber event', 'Event sources'), (me.sources ?? []).join(', ') || '—', 'me-sources'],
  ];
  for (const [term, value, testId] of rows) {
    const dt = document.createElement('dt');
    dt.append(term);
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.testid = testId;
    facts.append(dt, dd);
  }
  const rights = document.querySelector('[data-testid="me-rights"]');
  rights.replaceChildren();
  for (const right of [...me.rights, ...me.granted_rights.map((r) => `${r} (layanan)`)]) {
    const li = document.createElement('li');
    li.textContent = right;
    rights.append(li);
  }
}

async function load(key) {
  const [me, deliveries, letters, subscriptions] = await Promise.all(['/v1/me', '/v1/me/deliveries?limit=50', '/v1/me/dead-letters?limit=50', '/v1/me/subscriptions'].map((path) => read(key, path)));
  showIdentity(me);
  fill(document.querySelector('[data-testid="me-deliveries"]'), deliveries.items, (d) => [
    [d.event_id, 'delivery-event'], [d.type], [d.status, 'delivery-status'], [when(d.accepted_at)], [d.targets.map(targetText).join('; ') || '—', 'delivery-targets'],
  ], 'Belum ada event yang Anda kirim.', 'No events sent yet.');
  fill(document.querySelector('[data-testid="me-dead-letters"]'), letters.items, (l) => [
    [l.event_id, 'letter-event'], [l.type], [`${l.connector}/${l.operation}`], [l.code], [l.reason, 'letter-reason'], [when(l.failed_at)],
  ], 'Tidak ada surat mati.', 'No dead letters.');
  fill(document.querySelector('[data-testid="me-subscriptions"]'), subscriptions.subscriptions, (s) => [
    [s.id], [s.types.join(', ')], [s.health.state + (s.paused_reason ? ` (${s.paused_reason})` : ''), 'subscription-state'], [`${when(s.health.last_attempt_at)}${s.health.last_outcome ? ` · ${s.health.last_outcome}${s.health.last_http_status ? ` (HTTP ${s.health.last_http_status})` : ''}` : ''}`], [s.health.last_error ?? '—'], [String(s.health.dead_letters)],
  ], 'Belum ada langganan.', 'No subscriptions yet.');
}

function show(signedIn) {
  panel.hidden = !signedIn;
  hint.hidden = signedIn;
  signOut.hidden = !signedIn;
  keyInput.disabled = signedIn;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return;
  failure.hidden = true;
  try {
    await load(key);
    keyInput.value = '';
    show(true);
  } catch (error) {
    failure.textContent = error.message;
    failure.hidden = false;
  }
});

signOut.addEventListener('click', () => {
  for (const table of panel.querySelectorAll('tbody')) table.replaceChildren();
  show(false);
  keyInput.focus();
});
