// The outbox's disk fills up. The hub must answer POST /v1/events with 503 outbox-unavailable
// (never 202 for an event it could not store), stay up, take events again once there is room,
// and publish every event it did acknowledge; an event it refused was not stored, so the
// client's retry is stored as new (`duplicate: false`).
//
// How the disk is filled (the hub runs as a process, `node --import tsx src/main.ts`):
// - tmpfs (preferred; needs CAP_SYS_ADMIN, e.g. root in CI): the hub's data directory is a
//   16 MiB tmpfs mounted for this test; a filler file takes all of it but 64 KiB, and space
//   returns when the filler is deleted. Unmounted afterwards.
// - RLIMIT_FSIZE (fallback when mount is refused): the hub runs under `ulimit -S -f` (soft
//   limit, 3 MiB per file), so its outbox's write-ahead log cannot grow past it: writes fail
//   with EFBIG (Node ignores SIGXFSZ) and SQLite's commit fails. Space returns when `prlimit`
//   lifts the soft limit of the running process.
// DISK_FULL_METHOD=tmpfs|ulimit forces one (tmpfs fails if mount is refused).
// Not asserted, only printed: /health/ready stays 200 while every append fails (its outbox check
// is a read).

import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { hubFetch } from '../support/auth.js';
import { sampleEvent } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { readTopicUntil } from '../support/kafka-reader.js';
import { waitFor } from '../support/wait.js';
import { hubProcessEnv, killAllHubs, readiness, spawnHub, type HubProcess } from './fault-support.js';

const TMPFS_SIZE_MB = 16;
const LEFT_FREE_BYTES = 64 * 1024;
const FILE_SIZE_LIMIT_KB = 3 * 1024;

type Method = { kind: 'tmpfs'; mountpoint: string; why: string } | { kind: 'ulimit'; why: string };

const root = mkdtempSync(join(tmpdir(), 'penghubung-diskfull-'));
let mounted: string | undefined;

afterAll(() => {
  killAllHubs();
  if (mounted) spawnSync('umount', ['-l', mounted]);
  rmSync(root, { recursive: true, force: true });
});

function chooseMethod(): Method {
  const forced = process.env.DISK_FULL_METHOD;
  if (forced === 'ulimit') return { kind: 'ulimit', why: 'forced by DISK_FULL_METHOD' };
  const mountpoint = join(root, 'tmpfs');
  mkdirSync(mountpoint);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE_MB}m,mode=0700`, 'penghubung-disk-full', mountpoint], { encoding: 'utf8' });
  if (mount.status === 0) {
    mounted = mountpoint;
    return { kind: 'tmpfs', mountpoint, why: `a ${TMPFS_SIZE_MB} MiB tmpfs` };
  }
  const reason = (mount.error?.message ?? mount.stderr ?? '').trim() || `mount exited ${mount.status}`;
  if (forced === 'tmpfs') throw new Error(`DISK_FULL_METHOD=tmpfs, but mount is refused: ${reason}`);
  return { kind: 'ulimit', why: `mount refused (${reason})` };
}

/** Fills the file system of `path` with `filler` but `leaveFree` bytes; returns the bytes written. */
function fill(filler: string, leaveFree: number): number {
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  let written = 0;
  try {
    for (const size of [chunk.length, 4096]) {
      for (;;) {
        try {
          written += writeSync(fd, chunk, 0, size);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  truncateSync(filler, Math.max(0, statSync(filler).size - leaveFree));
  return written;
}

interface Answer {
  id: string;
  status: number;
  code?: string;
  retryAfter: string | null;
  duplicate?: boolean;
}

async function post(url: string, id: string): Promise<Answer> {
  const response = await hubFetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(sampleEvent(id, { subject: `kunci-${id.length % 7}` })) });
  const body = (await response.json()) as { code?: string; duplicate?: boolean };
  return { id, status: response.status, code: body.code, retryAfter: response.headers.get('retry-after'), duplicate: body.duplicate };
}

/** `workers` loops post `<label>-<n>` until `until()` or `max` posts; every answer is kept. */
async function postWhile(url: string, label: string, workers: number, max: number, until: (answers: Answer[]) => boolean): Promise<Answer[]> {
  const answers: Answer[] = [];
  let n = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (n < max && !until(answers)) answers.push(await post(url, `${label}-${n++}`));
  }));
  return answers;
}

it('refuses with 503 while the outbox cannot write, stays up, and publishes everything it acknowledged once there is room', async () => {
  const method = chooseMethod();
  const prefix = uniqueName('diskfull').toLowerCase();
  const port = await freePort();
  const dataDir = method.kind === 'tmpfs' ? join(method.mountpoint, 'data') : join(root, 'data');
  const hub: HubProcess = spawnHub(`http://127.0.0.1:${port}`, {
    ...hubProcessEnv,
    // info, so that the end of start-up shows on stdout (HubProcess.started).
    PENGHUBUNG_LOG__LEVEL: 'info',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    PENGHUBUNG_HTTP__PORT: String(port),
    PENGHUBUNG_DATA_DIR: dataDir,
    PENGHUBUNG_BUS__TOPIC_PREFIX: prefix,
  }, method.kind === 'ulimit' ? { fileSizeLimitKb: FILE_SIZE_LIMIT_KB, softLimitOnly: true } : {});
  const alive = async (): Promise<boolean> => {
    if (hub.child.exitCode !== null || hub.child.signalCode !== null) throw new Error(`the hub exited (${hub.child.exitCode ?? hub.child.signalCode}): ${hub.stderr()}`);
    return (await readiness(hub.url)).status === 200;
  };
  await waitFor(alive, 30_000, 'the hub to be ready', 200);
  await waitFor(hub.started, 30_000, 'the hub to finish starting', 100);

  // Room enough: everything is taken.
  const before = await postWhile(hub.url, 'sebelum', 8, 200, () => false);
  expect(before.filter((a) => a.status !== 202)).toEqual([]);

  // The disk fills.
  let filled = 0;
  const filler = method.kind === 'tmpfs' ? join(method.mountpoint, 'filler') : '';
  if (method.kind === 'tmpfs') filled = fill(filler, LEFT_FREE_BYTES);
  const whileFull = await postWhile(hub.url, 'penuh', 8, 20_000, (answers) => answers.filter((a) => a.status !== 202).length >= 200);
  const refused = whileFull.filter((a) => a.status !== 202);
  const readyWhileFull = await readiness(hub.url);

  // Every answer is 202 (stored before the disk ran out) or 503 outbox-unavailable with
  // Retry-After; nothing else, and the process is still there.
  expect(refused.length).toBeGreaterThanOrEqual(200);
  expect(refused.filter((a) => a.status !== 503 || a.code !== 'outbox-unavailable' || a.retryAfter === null)).toEqual([]);
  expect(hub.child.exitCode).toBeNull();
  expect((await fetch(`${hub.url}/health/live`)).status).toBe(200);

  // Room again: the same process takes events again.
  if (method.kind === 'tmpfs') unlinkSync(filler);
  else {
    const lifted = spawnSync('prlimit', ['--pid', String(hub.child.pid), '--fsize=unlimited:'], { encoding: 'utf8' });
    expect(lifted.status, `prlimit: ${lifted.stderr}`).toBe(0);
  }
  const after = await postWhile(hub.url, 'sesudah', 8, 200, () => false);
  expect(after.filter((a) => a.status !== 202)).toEqual([]);

  // A refused event was not stored: its retry is new, not a duplicate.
  const retried = await Promise.all(refused.map((a) => post(hub.url, a.id)));
  expect(retried.filter((a) => a.status !== 202 || a.duplicate !== false)).toEqual([]);

  // Everything acknowledged reaches Kafka.
  const acknowledged = new Set([...before, ...whileFull, ...after, ...retried].filter((a) => a.status === 202).map((a) => a.id));
  await waitFor(async () => (await readiness(hub.url)).backlog === 0, 60_000, 'the outbox to drain', 200);
  const { ids } = await readTopicUntil(kafkaBrokers(), `${prefix}.uji`, acknowledged, 60_000);
  expect([...acknowledged].filter((id) => !ids.has(id))).toEqual([]);

  console.log(`[disk-full] method: ${method.kind} (${method.why}); filler ${Math.round(filled / 1024)} KiB; while full: ${whileFull.length - refused.length} acknowledged, ${refused.length} refused with 503; readiness while full: ${readyWhileFull.status} ${JSON.stringify(readyWhileFull.body?.status)}; ${acknowledged.size} acknowledged in all, all in Kafka`);

  hub.child.kill('SIGTERM');
  // A stop that fails says why (its last log lines), not only its exit code.
  expect((await hub.exited).code, hub.stderr().slice(-4000)).toBe(0);
}, 120_000);
