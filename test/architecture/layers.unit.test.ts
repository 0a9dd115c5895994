// The layer rules of .dependency-cruiser.cjs (run by `npm run lint`) catch a deliberate
// violation of each rule: a small tree written to a temporary directory, cruised with the
// project's own configuration, must report exactly the imports that break a rule.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';

const config = createRequire(import.meta.url)(projectPath('.dependency-cruiser.cjs')) as IConfiguration;

/** path → imported specifiers. Every file imports only what the rules allow, except where noted. */
const tree: Record<string, string[]> = {
  'src/domain/nik.ts': ['./wilayah.js'],
  'src/domain/wilayah.ts': [],
  'src/domain/leaky.ts': ['../errors/catalogue.js'], // domain → anything of ours
  'src/errors/catalogue.ts': [],
  'src/http/json-body.ts': ['../errors/catalogue.js'],
  'src/connectors/sdk.ts': ['../domain/nik.js', '../errors/catalogue.js', './simulator-sdk.js'],
  'src/connectors/simulator-sdk.ts': [],
  'src/connectors/runtime.ts': ['./sdk.js', '../http/json-body.js'],
  'src/connectors/wiring.ts': ['../hub.js'], // a part → the hub
  'src/security/routes.ts': ['../http/json-body.js', '../gateway/app.js'], // below the gateway → gateway
  'src/gateway/app.ts': ['../security/routes.js', '../connectors/runtime.js'],
  'src/hub.ts': ['./gateway/app.js', './connectors/runtime.js'],
  'src/main.ts': ['./hub.js'],
  'src/flows/engine.ts': ['./store.js'], // engine → store → engine: a cycle
  'src/flows/store.ts': ['./engine.js'],
  'connectors/siak/mapping.ts': ['../../src/connectors/sdk.js', './fields.js'],
  'connectors/siak/fields.ts': ['../../src/connectors/sdk.js'],
  'connectors/siak/simulator.ts': ['../../src/connectors/simulator-sdk.js', './fields.js'],
  'connectors/lpse/mapping.ts': ['../../src/connectors/sdk.js', '../../src/bus/event-bus.js', '../siak/fields.js'], // two: hub internals, another connector
  'src/bus/event-bus.ts': [],
};

let root: string;
let result: ICruiseResult;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'penghubung-layers-'));
  for (const [file, imports] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), imports.map((specifier, i) => `import * as m${i} from '${specifier}';\nvoid m${i};\n`).join('') + 'export const here = 1;\n');
  }
  const output = await cruise(['src', 'connectors'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden ?? [] }, baseDir: root, tsConfig: undefined }, { extensionAlias: { '.js': ['.ts', '.js'] } });
  result = output.output as ICruiseResult;
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the layer rules', () => {
  const violations = (): string[] => result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

  it('report a domain module importing anything of ours', () => {
    expect(violations()).toContain('domain-imports-nothing-of-ours: src/domain/leaky.ts → src/errors/catalogue.ts');
  });

  it('report a connector importing the hub beyond the SDK, or another connector', () => {
    expect(violations()).toContain('connectors-import-only-the-sdk: connectors/lpse/mapping.ts → src/bus/event-bus.ts');
    expect(violations()).toContain('connectors-import-only-the-sdk: connectors/lpse/mapping.ts → connectors/siak/fields.ts');
  });

  it('report a part below the gateway importing it', () => {
    expect(violations()).toContain('nothing-below-the-gateway-imports-it: src/security/routes.ts → src/gateway/app.ts');
  });

  it('report a part importing the hub', () => {
    expect(violations()).toContain('only-entry-points-import-the-hub: src/connectors/wiring.ts → src/hub.ts');
  });

  it('report an import cycle', () => {
    expect(violations()).toEqual(expect.arrayContaining([expect.stringMatching(/^no-cycles: src\/flows\/(engine|store)\.ts → src\/flows\/(engine|store)\.ts$/)]));
  });

  it('report nothing else: the allowed imports pass', () => {
    const unexpected = violations().filter((v) => !/leaky|lpse\/mapping|security\/routes|connectors\/wiring|no-cycles: src\/flows|no-cycles: src\/(security|gateway)/.test(v));
    expect(unexpected).toEqual([]);
    expect(result.modules.find((m) => m.source === 'connectors/siak/mapping.ts')?.dependencies.map((d) => d.resolved).sort()).toEqual(['connectors/siak/fields.ts', 'src/connectors/sdk.ts']);
    expect(result.modules.find((m) => m.source === 'connectors/siak/simulator.ts')?.dependencies.map((d) => d.resolved).sort()).toEqual(['connectors/siak/fields.ts', 'src/connectors/simulator-sdk.ts']);
  });
});
