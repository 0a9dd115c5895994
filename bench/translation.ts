// 3. Translation: documents per second through each connector's mapping, on the connector's
// own fixtures (the cases that map to a canonical answer), against a raw parse of the same
// documents (JSON.parse, or fast-xml-parser with the options of the hub's hardened reader) as the
// baseline. One document is what the hub does with it: decode (lossless JSON, or the hardened
// XML parser), map, and validate every canonical entity against its schema.
//
//   NODE_ENV=production npx tsx bench/translation.ts
//   BENCH_TRANSLATION_MS=1500 (time per measurement, split over two alternating halves)
//   BENCH_TRANSLATION_ONLY=lpse,sitampan (only these connectors)
//   BENCH_BEFORE_TREE=<dir> (an earlier checkout with node_modules: its SDK and mappings measured
//     in the same process on the same documents, BENCH_BEFORE_PAIRS=12 pairs of short slices in
//     alternating order against this tree's, and every document's output compared. An A/A run
//     (the same code as both trees) favoured the current tree by up to 1.45x on a busy machine:
//     the outputs comparison is exact, a ratio below 1.5x is not)
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import type { ConnectorContext, UpstreamResponse } from '../src/connectors/sdk.js';
import { defaultXmlLimits, xmlReadOptions } from '../src/connectors/xml.js';
import { stringifyJson } from '../src/events/json.js';
import { machineWindow, othersShareOf } from './lib/cpu.js';
import { log, machine, machineLine, median, num, percent, projectRoot, publish, ratio, table, targetsTable, type Target } from './lib/report.js';
import { numberSetting } from './lib/settings.js';

const sliceMs = numberSetting('BENCH_TRANSLATION_MS', 1500) / 2;
const only = process.env.BENCH_TRANSLATION_ONLY?.split(',').filter(Boolean);
const beforeTree = process.env.BENCH_BEFORE_TREE ? resolve(process.env.BENCH_BEFORE_TREE) : undefined;
const beforePairs = numberSetting('BENCH_BEFORE_PAIRS', 12);
const pairMs = sliceMs / 2;
const goal = 20_000;
const xmlGoal = 0.7;

/** The mappings measured: connector, operation, native format. */
const allGroups: { connector: string; operation: string; format: 'json' | 'xml' }[] = [
  { connector: 'siak', operation: 'cari-penduduk', format: 'json' },
  { connector: 'lapor', operation: 'pengaduan-masuk', format: 'json' },
  { connector: 'lapor', operation: 'pengaduan-masuk', format: 'xml' },
  { connector: 'sipd', operation: 'sub-kegiatan-masuk', format: 'json' },
  { connector: 'sipd', operation: 'rincian-anggaran-masuk', format: 'json' },
  { connector: 'lpse', operation: 'paket-masuk', format: 'json' },
  { connector: 'sitampan', operation: 'naskah-masuk', format: 'json' },
  { connector: 'sitampan', operation: 'naskah-masuk', format: 'xml' },
];
const groups = allGroups.filter((group) => !only || only.includes(group.connector));
if (groups.length === 0) throw new Error(`BENCH_TRANSLATION_ONLY: no mapping of ${only!.join(', ')} (connectors: ${[...new Set(allGroups.map((g) => g.connector))].join(', ')})`);

interface Doc {
  name: string;
  text: string;
  input?: Record<string, unknown>;
  status?: number;
}

/** What one tree (this one, or BENCH_BEFORE_TREE) does with a document, loaded from its own sources. */
interface Translation {
  decode: (doc: Doc) => unknown;
  map: (doc: Doc, native: unknown) => unknown;
  validate: (mapped: unknown) => void;
  kind: string;
}

async function translationOf(tree: string, group: (typeof allGroups)[number]): Promise<Translation> {
  const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(tree, file)).href)) as T;
  const { assertCanonical } = await load<typeof import('../src/connectors/canonical.js')>('src/connectors/canonical.ts');
  const { fixtureNow } = await load<typeof import('../src/connectors/contract-kit.js')>('src/connectors/contract-kit.ts');
  const { loadConnector } = await load<typeof import('../src/connectors/discovery.js')>('src/connectors/discovery.ts');
  const { parseXml } = await load<typeof import('../src/connectors/xml.js')>('src/connectors/xml.ts');
  const { parseJson } = await load<typeof import('../src/events/json.js')>('src/events/json.ts');
  const connector = await loadConnector(join(tree, 'connectors', group.connector));
  const operation = connector.manifest.operations[group.operation]!;
  const settings = Object.fromEntries(Object.entries(connector.manifest.upstream.settings).map(([name, setting]) => [name, setting.sandbox ?? `test-${name}`]));
  const context: ConnectorContext = { settings, options: connector.manifest.options ?? {}, now: () => new Date(fixtureNow) };
  const decode = (doc: Doc): unknown => (group.format === 'xml' ? parseXml(doc.text) : parseJson(doc.text));
  if (operation.kind === 'query') {
    const handler = connector.definition.queries![group.operation]!;
    const headers = { 'content-type': group.format === 'xml' ? 'application/xml' : 'application/json' };
    return {
      kind: operation.kind,
      decode,
      map: (doc, native) => handler.response({ status: doc.status ?? 200, headers, body: native } satisfies UpstreamResponse, doc.input ?? {}, context),
      validate: (mapped) => assertCanonical(operation.output, mapped, 'upstream-bad-response'),
    };
  }
  if (operation.kind === 'inbound') {
    const handler = connector.definition.inbound![group.operation]!;
    return {
      kind: operation.kind,
      decode,
      map: (_doc, native) => handler.map(native, context),
      validate: (mapped) => (mapped as unknown[]).forEach((entity, index) => assertCanonical(operation.schema, entity, 'upstream-bad-response', `/${index}`)),
    };
  }
  throw new Error(`${group.connector}/${group.operation} is ${operation.kind}: nothing to translate`);
}

/** Fixtures that map to a canonical answer (error cases measure throwing, not translating). */
function documents(connector: string, operation: string, format: 'json' | 'xml'): Doc[] {
  const folder = join(projectRoot, 'connectors', connector, 'fixtures', operation);
  return readdirSync(folder)
    .filter((file) => file.endsWith(`.native.${format}`))
    .sort()
    .flatMap((file) => {
      const name = file.slice(0, -`.native.${format}`.length);
      const expected = JSON.parse(readFileSync(join(folder, `${name}.expected.json`), 'utf8')) as { canonical?: unknown; rejected?: unknown[]; input?: Record<string, unknown>; status?: number };
      // A page with a record set aside throws in the whole-document map the benchmark times.
      if (expected.canonical === undefined || (expected.rejected?.length ?? 0) > 0) return [];
      return [{ name, text: readFileSync(join(folder, file), 'utf8'), input: expected.input, status: expected.status }];
    });
}

interface Tally {
  docs: number;
  seconds: number;
  /** CPU time of this process (user + system) over the same window. */
  cpuSeconds: number;
  /** CPU time of the whole machine, busy and total, to tell the others' share. */
  machineBusyMs: number;
  machineTotalMs: number;
}

const emptyTally = (): Tally => ({ docs: 0, seconds: 0, cpuSeconds: 0, machineBusyMs: 0, machineTotalMs: 0 });

/** Adds `from`'s counts and times to `into`; returns `into`. */
function addTally(into: Tally, from: Tally): Tally {
  for (const key of Object.keys(from) as (keyof Tally)[]) into[key] += from[key];
  return into;
}

/** Runs `work` over `docs` for about `millis` and adds the documents, wall and CPU time to `into`. */
function rate(docs: Doc[], work: (doc: Doc) => unknown, millis: number, into: Tally = emptyTally()): Tally {
  let count = 0;
  let sink = 0;
  const machineDuring = machineWindow();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + millis;
  while (performance.now() < until) {
    for (const doc of docs) {
      const out = work(doc);
      sink += out ? 1 : 0;
      count++;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const machineUse = machineDuring();
  if (sink < 0) log('unreachable');
  return addTally(into, { docs: count, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, machineBusyMs: machineUse.busy, machineTotalMs: machineUse.total });
}

const perSec = (t: Tally): number => t.docs / t.seconds;
const perCpuSec = (t: Tally): number => t.docs / t.cpuSeconds;
/** The share of the machine's CPU that processes other than this one used during the tally. */
const othersShare = (t: Tally): number => othersShareOf({ busy: t.machineBusyMs, total: t.machineTotalMs }, t.cpuSeconds * 1000);

const started = machine();
// The baseline parses XML as the hub's hardened reader does (same options), so the ratio is the
// cost of what the hub adds to a parse: the size and DOCTYPE checks, well-formedness, the mapping.
const rawXml = new XMLParser(xmlReadOptions(defaultXmlLimits.maxDepth));
const results: Record<string, unknown>[] = [];
const rows: string[][] = [];
const beforeRows: string[][] = [];
const targetRows: Target[] = [];

for (const group of groups) {
  const after = await translationOf(projectRoot, group);
  const before = beforeTree ? await translationOf(beforeTree, group) : undefined;
  const docs = documents(group.connector, group.operation, group.format);
  if (docs.length === 0) throw new Error(`no successful ${group.format} fixtures for ${group.connector}/${group.operation}`);
  const fullOf =
    (t: Translation) =>
    (doc: Doc): unknown => {
      const mapped = t.map(doc, t.decode(doc));
      t.validate(mapped);
      return mapped;
    };
  const full = fullOf(after);
  const decoded = new Map(docs.map((doc) => [doc, after.decode(doc)]));
  const mapOnly = (doc: Doc): unknown => after.map(doc, decoded.get(doc));
  const raw = group.format === 'xml' ? (doc: Doc): unknown => rawXml.parse(doc.text) : (doc: Doc): unknown => JSON.parse(doc.text);
  const entities = docs.reduce((sum, doc) => sum + (after.kind === 'inbound' ? (full(doc) as unknown[]).length : 1), 0);
  const works: [string, (doc: Doc) => unknown][] = [['raw', raw], ['full', full], ['mapOnly', mapOnly]];

  // Warm up, then alternate halves (raw, hub, map only) so drift falls on all alike.
  for (const [, work] of works) rate(docs, work, 200);
  const total: Record<string, Tally> = Object.fromEntries(works.map(([key]) => [key, emptyTally()]));
  for (let half = 0; half < 2; half++) {
    for (const [key, work] of half === 0 ? works : [...works].reverse()) rate(docs, work, sliceMs, total[key]);
  }

  // Before and after: same documents, same answers (a speed-up that changes an output is not
  // one), then many short pairs in alternating order. On a shared machine one slice can cost
  // 30% more than the next; the median of the pairs' ratios is what holds.
  let differing: string[] = [];
  const pairRatios: number[] = [];
  if (before) {
    const beforeFull = fullOf(before);
    differing = docs.filter((doc) => stringifyJson(beforeFull(doc)) !== stringifyJson(full(doc))).map((doc) => doc.name);
    rate(docs, beforeFull, 200);
    total.before = emptyTally();
    total.afterPaired = emptyTally();
    for (let pair = 0; pair < beforePairs; pair++) {
      const after1 = emptyTally();
      const before1 = emptyTally();
      const order: [(doc: Doc) => unknown, Tally][] = pair % 2 === 0 ? [[full, after1], [beforeFull, before1]] : [[beforeFull, before1], [full, after1]];
      for (const [work, tally] of order) rate(docs, work, pairMs, tally);
      pairRatios.push(perCpuSec(after1) / perCpuSec(before1));
      addTally(total.afterPaired, after1);
      addTally(total.before, before1);
    }
  }
  const label = `${group.connector} ${group.operation} (${group.format.toUpperCase()})`;
  const bytes = docs.reduce((sum, doc) => sum + Buffer.byteLength(doc.text), 0) / docs.length;
  const hub = perSec(total.full!);
  const baseline = perSec(total.raw!);
  const share = othersShare(total.full!);
  log(`${label}: ${num(hub)} docs/s through the hub's translation (${num(perCpuSec(total.full!))} per CPU-s), ${num(baseline)} docs/s raw parse`);
  rows.push([
    label,
    String(docs.length),
    `${num(bytes / 1024, 1)} KiB`,
    num(entities / docs.length, 1),
    num(hub),
    num(perCpuSec(total.full!)),
    num(total.mapOnly ? perSec(total.mapOnly) : Number.NaN),
    num(baseline),
    ratio(hub, baseline),
    percent(share),
  ]);
  if (group.format === 'xml') {
    const cpuRatio = perCpuSec(total.full!) / perCpuSec(total.raw!);
    targetRows.push({ what: `${label} vs fast-xml-parser alone`, goal: `≥ ${xmlGoal.toFixed(2)}×`, measured: `${ratio(hub, baseline)} (per CPU-s ${cpuRatio.toFixed(2)}×)`, met: hub / baseline >= xmlGoal, note: `the same parse alone does ${num(baseline)} docs/s` });
  } else {
    targetRows.push({ what: label, goal: `≥ ${num(goal)} docs/s`, measured: `${num(hub)} docs/s`, met: hub >= goal, note: `${percent(hub / goal)} of the goal; the raw parse alone does ${num(baseline)} docs/s` });
  }
  if (before) {
    const sorted = [...pairRatios].sort((x, y) => x - y);
    const middle = median(pairRatios);
    beforeRows.push([
      label,
      num(perCpuSec(total.before!)),
      num(perCpuSec(total.afterPaired!)),
      `**${middle.toFixed(2)}×**`,
      `${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)}×`,
      percent(othersShare(total.before!)),
      differing.length === 0 ? 'identical' : `**differ**: ${differing.join(', ')}`,
    ]);
  }
  results.push({ ...group, fixtures: docs.map((d) => d.name), meanBytes: bytes, entitiesPerDoc: entities / docs.length, hubDocsPerSec: hub, hubDocsPerCpuSec: perCpuSec(total.full!), mapOnlyDocsPerSec: total.mapOnly ? perSec(total.mapOnly) : undefined, rawParseDocsPerSec: baseline, ratio: hub / baseline, othersShare: share, ...(before ? { beforeDocsPerCpuSec: perCpuSec(total.before!), pairRatios, differing } : {}), totals: total });
}

const lines = [
  '## 3. Translation: documents per second per connector mapping',
  '',
  `Run: ${machineLine(started)}`,
  '',
  `Command: \`NODE_ENV=production npx tsx bench/translation.ts\` (part of \`npm run bench\`${beforeTree ? '; `BENCH_BEFORE_TREE` set' : ''}). One process, one core; each row cycles over the connector's fixtures that map to a canonical answer ` +
    `(error fixtures left out), ${num(sliceMs * 2, 0)} ms per figure in two alternating halves after a warm-up. ` +
    '"hub" is what the hub does per document: decode (lossless JSON / the hardened XML parser), map, validate every entity against its canonical schema. ' +
    '"per CPU-s" divides by the CPU time this process spent (what a document costs, steadier than the wall clock on a shared machine). ' +
    '"map only" starts from the decoded document. The baseline is a raw `JSON.parse` / fast-xml-parser `XMLParser.parse` of the same text, with the options of the hub\'s hardened reader. ' +
    '"others" is the share of the machine that other processes used while the hub row was measured.',
  '',
  table(['mapping', 'fixtures', 'mean size', 'entities/doc', 'hub docs/s', 'hub per CPU-s', 'map only docs/s', 'raw parse docs/s', 'hub vs raw parse', 'others'], rows),
  '',
  ...(beforeTree
    ? [
        `Before and after in the same process, on the same documents: \`${beforeTree}\` (before) against this tree, ${beforePairs} pairs of ${num(pairMs, 0)} ms slices in alternating order, documents per CPU-second; the ratio is the median of the pairs' ratios, beside their range. Each document's output compared. Caution: with the same code as both trees (an A/A run, machine 80–90% busy) the medians came out 1.00–1.45×, the current tree ahead: a ratio below ≈ 1.5× here is no evidence; measure such a change in separate processes, alternating.`,
        '',
        table(['mapping', 'before per CPU-s', 'after per CPU-s', 'after ÷ before (median)', 'pairs range', 'others', 'outputs'], beforeRows),
        '',
      ]
    : []),
  targetsTable(targetRows),
];
publish('translation', lines.join('\n'), { machine: started, settings: { sliceMs, goal, xmlGoal, beforeTree, beforePairs, pairMs }, results, targets: targetRows });
