// Issue 16 item 7: the docs' examples are true to the code. Every fenced `sh` block of README.md
// and docs/*.md holding a curl command runs against a sandbox hub started as `npm start` starts
// it, each command in order, and must answer 2xx. `$VAR`s come from the block itself:
// `KEY=phb_…  # <client>'s key` (or `# kunci <client>`) is that demo client's printed key, and `NEXT=$(curl … | jq -r .field)`
// takes a field of an answer. A block that cannot run here (a connector not in the repository,
// a production host) is preceded by `<!-- docs-example: not run: <why> -->`: the test counts
// those, refuses a marker without a reason or on a block without curl, and fails on an HTTP
// request line (`GET /v1/…`) outside a curl command, so every example stays runnable or says why.
// The connectors' READMEs are run too: there `$SIM` is that connector's simulator, at the address
// the hub printed at start, and the docs' hub address (http://127.0.0.1:8080) stands for the
// test's hub wherever it is written, in a request body too. A simulator's `_simulator/push`
// relays the hub's answer in `status`: that must be 2xx as well.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { parseCurl, runCurl } from '../support/curl.js';
import { startSandboxHub, type SandboxHub } from '../support/sandbox-hub.js';

interface DocBlock {
  file: string;
  line: number;
  lang: string;
  lines: string[];
  /** The reason given by a `docs-example: not run` marker before the block. */
  notRun?: string;
}

const marker = /^<!-- docs-example: not run(?:: (.*?))? -->$/;

function blocksOf(file: string): DocBlock[] {
  const lines = readFileSync(join(projectPath(), file), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  let open: DocBlock | undefined;
  lines.forEach((text, index) => {
    const fence = /^```(\w*)/.exec(text);
    if (fence && !open) {
      const before = index > 0 ? marker.exec(lines[index - 1]!.trim()) : null;
      open = { file, line: index + 1, lang: fence[1]!, lines: [], ...(before ? { notRun: before[1] ?? '' } : {}) };
    } else if (text.startsWith('```') && open) {
      blocks.push(open);
      open = undefined;
    } else open?.lines.push(text);
  });
  return blocks;
}

const connectorReadmes = ['connectors/README.md', ...readdirSync(join(projectPath(), 'connectors')).map((id) => `connectors/${id}/README.md`).filter((file) => existsSync(join(projectPath(), file)))];
const documents = ['README.md', ...readdirSync(join(projectPath(), 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`), ...connectorReadmes];
/** Where the docs say the hub listens (`npm start`'s default). */
const docsHub = 'http://127.0.0.1:8080';
const blocks = documents.flatMap(blocksOf);

/** Shell lines with `\` continuations joined. */
function commandsOf(block: DocBlock): string[] {
  return block.lines.join('\n').replace(/\\\n\s*/g, ' ').split('\n').map((line) => line.trim()).filter(Boolean);
}

const isExampleBlock = (block: DocBlock): boolean => /^(sh|bash|shell)$/.test(block.lang) && commandsOf(block).some((line) => /^curl |^\w+=\$\(curl /.test(line));

let hub: SandboxHub | undefined;

beforeAll(async () => {
  hub = await startSandboxHub();
}, 90_000);
afterAll(async () => {
  await hub?.stop();
});

it('finds the examples, and every block not run says why', () => {
  const examples = blocks.filter(isExampleBlock);
  expect(examples.filter((block) => block.notRun === undefined).length).toBeGreaterThanOrEqual(3);
  for (const block of blocks.filter((b) => b.notRun !== undefined)) {
    expect(block.notRun, `${block.file}:${block.line}: a not-run marker needs a reason`).not.toBe('');
    expect(isExampleBlock(block), `${block.file}:${block.line}: a not-run marker on a block without a curl example`).toBe(true);
  }
  // HTTP request lines are written as curl commands, so they can run here.
  const httpLines = blocks.flatMap((block) => block.lines.filter((line) => /^(GET|POST|PUT|PATCH|DELETE) \//.test(line)).map((line) => `${block.file}:${block.line}: ${line}`));
  expect(httpLines).toEqual([]);
});

it('the Indonesian quick start shows the same commands as the English one', () => {
  const section = (title: string): string[] => {
    const readme = readFileSync(join(projectPath(), 'README.md'), 'utf8');
    const start = readme.indexOf(`## ${title}`);
    const text = readme.slice(start, readme.indexOf('\n## ', start + 1));
    // The commands of its fenced blocks, comments left out.
    return [...text.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n')).map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean);
  };
  const english = section('Quick start');
  expect(english.length).toBeGreaterThan(5);
  expect(section('Mulai cepat (Bahasa Indonesia)')).toEqual(english);
});

it('every curl example in README.md, docs/*.md and the connectors\' READMEs answers 2xx on a sandbox hub', async () => {
  const failures: string[] = [];
  let ran = 0;
  for (const block of blocks.filter((b) => isExampleBlock(b) && b.notRun === undefined)) {
    const env: Record<string, string> = {};
    const connector = /^connectors\/([^/]+)\/README\.md$/.exec(block.file)?.[1];
    if (connector && hub!.simulators[connector]) env.SIM = hub!.simulators[connector];
    for (const line of commandsOf(block)) {
      const command = line.replaceAll(docsHub, hub!.url);
      const where = `${block.file}:${block.line}: ${command.slice(0, 160)}`;
      const key = /^(\w+)=phb_\S*\s+#\s*(?:(\S+?)'s key|kunci (\S+))/.exec(command);
      if (key) {
        const clientId = key[2] ?? key[3]!;
        const printed = hub!.keys[clientId];
        if (printed) env[key[1]!] = printed;
        else failures.push(`${where}: no demo client ${clientId} printed a key`);
        continue;
      }
      const captured = /^(\w+)=\$\((curl .*) \| jq -r '?\.(\w+)'?\)/.exec(command);
      const curl = captured ? captured[2]! : /^curl /.test(command) ? command : undefined;
      if (!curl) continue;
      try {
        // A `$SIM` URL is the simulator's own; any other is the hub's, whatever host it names.
        const request = parseCurl(curl, env, /^curl .*\$SIM\b/.test(curl) && env.SIM ? undefined : hub!.url);
        const answer = await runCurl(request);
        ran += 1;
        if (answer.status >= 300) failures.push(`${where}: ${answer.status} ${answer.text.slice(0, 300)}`);
        const relayed = new URL(request.url).pathname.endsWith('/_simulator/push') ? (answer.json as { status?: unknown; body?: unknown } | undefined) : undefined;
        if (relayed && !(typeof relayed.status === 'number' && relayed.status < 300)) failures.push(`${where}: the hub answered the push ${String(relayed.status)} ${JSON.stringify(relayed.body).slice(0, 300)}`);
        if (captured) {
          const value = (answer.json as Record<string, unknown> | undefined)?.[captured[3]!];
          if (typeof value === 'string') env[captured[1]!] = value;
          else failures.push(`${where}: no string .${captured[3]} in the answer`);
        }
      } catch (error) {
        failures.push(`${where}: ${(error as Error).message}`);
      }
    }
  }
  expect(failures).toEqual([]);
  expect(ran).toBeGreaterThanOrEqual(8);
}, 120_000);
