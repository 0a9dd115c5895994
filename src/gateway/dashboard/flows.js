/* global document */
// The flows panel: each flow's latest instances. A flow opens to its instances, an instance to
// its steps with their outcomes (GET /v1/flows/{id}/instances and …/{instance}), in a dialog.
// Step results may hold personal data, so only outcome, attempts, times and errors are shown;
// the API gives results to operators, masked to their clearance.
import { api } from './api.js';
import { fillTable, h } from './dom.js';
import { formatDateTime, formatNumber } from './format.js';

const flowStatus = { running: 'berjalan', completed: 'selesai', failed: 'gagal' };
const stepOutcome = { done: 'selesai', skipped: 'dilewati', refused: 'ditolak hulu', failed: 'gagal', retrying: 'dicoba lagi' };

const $ = (id) => document.getElementById(id);
let names = new Map();

/** flows: GET /v1/flows (each with its five latest instances). */
export function renderFlows(flows) {
  names = new Map(flows.map((f) => [f.id, f.name]));
  const rows = flows.flatMap((flow) => (flow.recent.length ? flow.recent : [null]).map((instance) => h('tr', { 'data-testid': 'flow-row', 'data-flow': flow.id, 'data-state': instance?.status ?? 'none' },
    h('td', {}, h('button', { type: 'button', class: 'link', 'data-action': 'open-flow', 'data-flow': flow.id, 'aria-label': `Buka alur ${flow.name}` }, flow.name)),
    h('td', { class: 'id-cell', text: instance?.subject ?? '—' }),
    h('td', { text: instance ? flowStatus[instance.status] ?? instance.status : 'belum pernah berjalan' }),
    h('td', {}, instance ? h('time', { datetime: instance.started_at, text: formatDateTime(instance.started_at) }) : '—'),
    h('td', {}, instance ? h('button', { type: 'button', 'data-action': 'open-instance', 'data-flow': flow.id, 'data-instance': instance.id, 'data-testid': `flow-steps-${instance.id}` }, 'Langkah') : null))));
  fillTable('flow-rows', rows, 5, 'Tidak ada alur yang terpasang.');
}

/** Opens the dialog on a flow's instances, and on one instance's steps when given. */
async function openFlow(flowId, instanceId) {
  const dialog = $('flow-dialog');
  $('flow-heading').textContent = `Alur ${names.get(flowId) ?? flowId}`;
  $('flow-error').hidden = true;
  showSteps(null);
  fillTable('flow-instance-rows', [], 5, 'Memuat…');
  if (!dialog.open) dialog.showModal();
  try {
    const { instances } = await api.flowInstances(flowId);
    fillTable('flow-instance-rows', instances.map((instance) => h('tr', { 'data-testid': 'flow-instance-row', 'data-instance': instance.id, 'data-state': instance.status },
      h('td', {}, h('time', { datetime: instance.started_at, text: formatDateTime(instance.started_at) })),
      h('td', { class: 'id-cell', text: instance.subject ?? '—' }),
      h('td', { text: flowStatus[instance.status] ?? instance.status }),
      h('td', { text: instance.finished_at ? formatDateTime(instance.finished_at) : '—' }),
      h('td', {}, h('button', { type: 'button', 'data-action': 'open-instance', 'data-flow': flowId, 'data-instance': instance.id }, 'Langkah')))), 5, 'Alur ini belum pernah berjalan.');
    if (instanceId) await openInstance(flowId, instanceId);
  } catch (error) {
    showError(error);
  }
}

async function openInstance(flowId, instanceId) {
  try {
    const instance = await api.flowInstance(flowId, instanceId);
    showSteps(instance);
  } catch (error) {
    showError(error);
  }
}

function showSteps(instance) {
  $('flow-steps').hidden = instance === null;
  if (instance === null) return;
  $('flow-steps-heading').textContent = `Langkah ${instance.subject ?? instance.id} (${flowStatus[instance.status] ?? instance.status})`;
  fillTable('flow-step-rows', instance.steps.map((step) => h('tr', { 'data-testid': 'flow-step-row', 'data-step': step.step, 'data-outcome': step.outcome },
    h('td', { text: step.step }),
    h('td', {}, h('span', { class: `outcome ${step.outcome}`, text: stepOutcome[step.outcome] ?? step.outcome })),
    h('td', { text: formatNumber(step.attempts) }),
    h('td', { text: formatDateTime(step.started_at) }),
    h('td', { text: step.finished_at ? formatDateTime(step.finished_at) : '—' }),
    h('td', { class: 'reason-cell', text: step.error ?? '—' }))), 6, 'Belum ada langkah yang dijalankan.');
}

function showError(error) {
  $('flow-error').textContent = `Gagal memuat: ${error.message}`;
  $('flow-error').hidden = false;
}

/** Wires the panel's and the dialog's buttons. */
export function wireFlows() {
  const onClick = (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    if (button.dataset.action === 'open-flow') void openFlow(button.dataset.flow);
    else if (button.dataset.action === 'open-instance') {
      if ($('flow-dialog').open) void openInstance(button.dataset.flow, button.dataset.instance);
      else void openFlow(button.dataset.flow, button.dataset.instance);
    }
  };
  $('flow-rows').addEventListener('click', onClick);
  $('flow-dialog').addEventListener('click', (event) => {
    if (event.target.closest('[data-close]')) $('flow-dialog').close();
    else onClick(event);
  });
}
