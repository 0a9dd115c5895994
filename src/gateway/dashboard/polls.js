// A connector card's polls: per polled operation its interval, the instance that polls it (with
// several instances, one leads each poller), the last run's outcome and a "poll now" button; and the upstream paths its manifest marks unverified (no public source
// confirms them), so operators know which calls rest on a guess.
import { api } from './api.js';
import { h } from './dom.js';
import { formatAgo, formatNumber } from './format.js';

function lastRun(last, now) {
  if (!last) return 'belum pernah ditarik';
  if (!last.finished_at) return `sedang berjalan sejak ${formatAgo(last.started_at, now)}`;
  const counts = `${formatNumber(last.read)} dibaca · ${formatNumber(last.published)} terbit · ${formatNumber(last.unchanged)} tetap · ${formatNumber(last.rejected)} ditolak`;
  return `${formatAgo(last.finished_at, now)}: ${last.error ? `gagal (${last.error.code}) · ` : ''}${counts}`;
}

function leaderOf(poll) {
  if (!poll.leader) return 'belum ada instans yang menarik';
  const short = poll.leader.slice(0, 8);
  return poll.leading ? `ditarik oleh instans ini (${short})` : `ditarik oleh instans ${short}`;
}

/** The card's section, or null when the connector polls nothing and has no unverified path. */
export function pollSection(c, now) {
  const polls = Object.entries(c.polls ?? {});
  const unverified = c.unverified_paths ?? [];
  if (polls.length === 0 && unverified.length === 0) return null;
  return h('div', { class: 'polls' },
    polls.map(([operation, poll]) => h('div', { class: 'poll', 'data-testid': `poll-${c.id}-${operation}`, 'data-state': poll.last?.error ? 'failed' : poll.running ? 'running' : 'idle' },
      h('span', { class: 'poll-name', text: `${operation} · tiap ${formatNumber(poll.interval_seconds)} dtk` }),
      h('span', { class: 'poll-leader', 'data-testid': `poll-leader-${c.id}-${operation}`, title: poll.leader ?? undefined, text: leaderOf(poll) }),
      h('span', { class: 'poll-last', 'data-testid': `poll-last-${c.id}-${operation}`, title: poll.last?.error?.detail ?? undefined, text: lastRun(poll.last, now) }),
      h('button', { type: 'button', 'data-action': 'poll', 'data-connector': c.id, 'data-operation': operation, 'data-testid': `poll-now-${c.id}-${operation}`, disabled: poll.running, 'aria-label': `Tarik ${operation} sekarang` }, 'Tarik sekarang'))),
    unverified.length ? h('p', { class: 'unverified', 'data-testid': `unverified-${c.id}`, title: 'Tidak ada sumber publik yang mengonfirmasi jalur ini; lihat README konektor.', text: `Jalur hulu belum terverifikasi: ${unverified.join(', ')}` }) : null);
}

/** Runs one poll now; the sentence to show the operator. */
export async function pollNow(connector, operation) {
  try {
    const outcome = await api.poll(connector, operation);
    const counts = `${formatNumber(outcome.read)} rekaman dibaca, ${formatNumber(outcome.published)} terbit, ${formatNumber(outcome.rejected)} ditolak`;
    return outcome.error ? `Tarik ${connector}/${operation} gagal: ${outcome.error.detail} (${counts}).` : `Tarik ${connector}/${operation} selesai: ${counts}.`;
  } catch (error) {
    return `Tarik ${connector}/${operation} tidak dijalankan: ${error.message}`;
  }
}
