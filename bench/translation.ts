// 3. Translation: documents per second through each connector's mapping, on the connector's
// own fixtures (the cases that map to a canonical answer), against a raw parse of the same
// documents (JSON.parse, or fast-xml-parser with its defaults) as the baseline. One document is
// what the hub does with it: decode (lossless JSON, or the hardened XML parser), map, and
// validate every canonical entity against its schema.
//
//   NODE_ENV=production npx tsx bench/translation.ts
//   BENCH_TRANSLATION_MS=1500 (time per measurement, split over two alternating halves)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { assertCanonical } from '../src/connectors/canonical.js';
import { fixtureNow } from '../src/connectors/contract-kit.js';
import { loadConnector, type LoadedConnector } from '../src/connectors/discovery.js';
import type { ConnectorContext, UpstreamResponse } from '../src/connectors/sdk.js';
import { parseXml } from '../src/connectors/xml.js';
import { parseJson } from '../src/events/json.js';
import { log, machine, machineLine, num, projectRoot, publish, table, targetsTable, type Target } from './lib/report.js';

const sliceMs = Number(process.env.BENCH_TRANSLATION_MS ?? 1500) / 2;
const goal = 20_000;

/** The mappings measured: connector, operation, native format. */
const groups: { connector: string; operation: string; format: 'json' | 'xml' }[] = [
  { connector: 'siak', operation: 'cari-penduduk', format: 'json' },
  { connector: 'lapor', operation: 'pengaduan-masuk', format: 'json' },
  { connector: 'lapor', operation: 'pengaduan-masuk', format: 'xml' },
  { connector: 'sipd', operation: 'sub-kegiatan-masuk', format: 'json' },
  { connector: 'sipd', operation: 'rincian-anggaran-masuk', format: 'json' },
  { connector: 'lpse', operation: 'paket-masuk', format: 'json' },
  { connector: 'sitampan', operation: 'naskah-masuk', format: 'json' },
  { connector: 'sitampan', operation: 'naskah-masuk', format: 'xml' },
];

interface Doc {
  name: string;
  text: string;
  input?: Record<string, unknown>;
  status?: number;
}

function contextOf(connector: LoadedConnector): ConnectorContext {
  const settings = Object.fromEntries(Object.entries(connector.manifest.upstream.settings).map(([name, setting]) => [name, setting.sandbox ?? `test-${name}`]));
  return { settings, options: connector.manifest.options ?? {}, now: () => new Date(fixtureNow) };
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

/** Documents per second of `work` over `docs`, for about `millis`. */
function rate(docs: Doc[], work: (doc: Doc) => unknown, millis: number): { docs: number; seconds: number } {
  let count = 0;
  let sink = 0;
  const t0 = performance.now();
  const until = t0 + millis;
  while (performance.now() < until) {
    for (const doc of docs) {
      const out = work(doc);
      sink += out ? 1 : 0;
      count++;
    }
  }
  if (sink < 0) log('unreachable');
  return { docs: count, seconds: (performance.now() - t0) / 1000 };
}

const started = machine();
const rawXml = new XMLParser();
const results: Record<string, unknown>[] = [];
const rows: string[][] = [];
const targetRows: Target[] = [];

for (const group of groups) {
  const connector = await loadConnector(join(projectRoot, 'connectors', group.connector));
  const operation = connector.manifest.operations[group.operation]!;
  const context = contextOf(connector);
  const docs = documents(group.connector, group.operation, group.format);
  if (docs.length === 0) throw new Error(`no successful ${group.format} fixtures for ${group.connector}/${group.operation}`);
  const decode = (doc: Doc): unknown => (group.format === 'xml' ? parseXml(doc.text) : parseJson(doc.text));
  let map: (doc: Doc, native: unknown) => unknown;
  let validate: (mapped: unknown) => void;
  if (operation.kind === 'query') {
    const handler = connector.definition.queries![group.operation]!;
    const headers = { 'content-type': group.format === 'xml' ? 'application/xml' : 'application/json' };
    map = (doc, native) => handler.response({ status: doc.status ?? 200, headers, body: native } satisfies UpstreamResponse, doc.input ?? {}, context);
    validate = (mapped) => assertCanonical(operation.output, mapped, 'upstream-bad-response');
  } else if (operation.kind === 'inbound') {
    const handler = connector.definition.inbound![group.operation]!;
    map = (_doc, native) => handler.map(native, context);
    validate = (mapped) => (mapped as unknown[]).forEach((entity, index) => assertCanonical(operation.schema, entity, 'upstream-bad-response', `/${index}`));
  } else {
    throw new Error(`${group.connector}/${group.operation} is ${operation.kind}: nothing to translate`);
  }
  const full = (doc: Doc): unknown => {
    const mapped = map(doc, decode(doc));
    validate(mapped);
    return mapped;
  };
  const decoded = new Map(docs.map((doc) => [doc, decode(doc)]));
  const mapOnly = (doc: Doc): unknown => map(doc, decoded.get(doc));
  const raw = group.format === 'xml' ? (doc: Doc): unknown => rawXml.parse(doc.text) : (doc: Doc): unknown => JSON.parse(doc.text);
  const entities = docs.reduce((sum, doc) => sum + (operation.kind === 'inbound' ? (full(doc) as unknown[]).length : 1), 0);

  // Warm up, then alternate halves (raw, hub, raw, hub) so drift falls on both alike.
  for (const work of [raw, full, mapOnly]) rate(docs, work, 200);
  const total = { raw: { docs: 0, seconds: 0 }, full: { docs: 0, seconds: 0 }, mapOnly: { docs: 0, seconds: 0 } };
  for (let half = 0; half < 2; half++) {
    for (const [key, work] of [['raw', raw], ['full', full], ['mapOnly', mapOnly]] as const) {
      const r = rate(docs, work, sliceMs);
      total[key].docs += r.docs;
      total[key].seconds += r.seconds;
    }
  }
  const perSec = (t: { docs: number; seconds: number }): number => t.docs / t.seconds;
  const label = `${group.connector} ${group.operation} (${group.format.toUpperCase()})`;
  const bytes = docs.reduce((sum, doc) => sum + Buffer.byteLength(doc.text), 0) / docs.length;
  const hub = perSec(total.full);
  const baseline = perSec(total.raw);
  log(`${label}: ${num(hub)} docs/s through the hub's translation, ${num(baseline)} docs/s raw parse`);
  rows.push([label, String(docs.length), `${num(bytes / 1024, 1)} KiB`, num(entities / docs.length, 1), num(hub), num(perSec(total.mapOnly)), num(baseline), `${(hub / baseline).toFixed(2)}×`]);
  targetRows.push({ what: label, goal: `≥ ${num(goal)} docs/s`, measured: `${num(hub)} docs/s`, met: hub >= goal, note: `${Math.round((100 * hub) / goal)}% of the goal; the raw parse alone does ${num(baseline)} docs/s` });
  results.push({ ...group, fixtures: docs.map((d) => d.name), meanBytes: bytes, entitiesPerDoc: entities / docs.length, hubDocsPerSec: hub, mapOnlyDocsPerSec: perSec(total.mapOnly), rawParseDocsPerSec: baseline, ratio: hub / baseline, totals: total });
}

const lines = [
  '## 3. Translation: documents per second per connector mapping',
  '',
  `Run: ${machineLine(started)}`,
  '',
  `Command: \`NODE_ENV=production npx tsx bench/translation.ts\` (part of \`npm run bench\`). One process, one core; each row cycles over the connector's fixtures that map to a canonical answer ` +
    `(error fixtures left out), ${num(sliceMs * 2, 0)} ms per figure in two alternating halves after a warm-up. ` +
    '"hub" is what the hub does per document: decode (lossless JSON / the hardened XML parser), map, validate every entity against its canonical schema. ' +
    '"map only" starts from the decoded document. The baseline is a raw `JSON.parse` / fast-xml-parser `XMLParser().parse` of the same text.',
  '',
  table(['mapping', 'fixtures', 'mean size', 'entities/doc', 'hub docs/s', 'map only docs/s', 'raw parse docs/s', 'hub vs raw parse'], rows),
  '',
  targetsTable(targetRows),
];
publish('translation', lines.join('\n'), { machine: started, settings: { sliceMs, goal }, results, targets: targetRows });
