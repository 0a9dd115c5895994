// Layer rules the code is held to (docs/ARCHITECTURE.md explains the layers). Rules name paths,
// not files, so a new folder under src/ or connectors/ is covered the day it appears.
// `npm run lint` runs this; test/architecture/layers.unit.test.ts feeds each rule a violation.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'src/domain/ holds pure rules (NIK, rupiah, codes): it imports only itself and npm packages.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|connectors|flows|test|tools|bench)/', pathNot: '^src/domain/' },
    },
    {
      name: 'connectors-import-only-the-sdk',
      comment: 'A connector folder imports the SDK (src/connectors/sdk.ts, or its simulator part src/connectors/simulator-sdk.ts) and its own files, nothing else of ours.',
      severity: 'error',
      from: { path: '^connectors/([^/]+)/' },
      to: { path: '^(src|connectors|flows|test|tools|bench|templates)/', pathNot: ['^src/connectors/(simulator-)?sdk\\.ts$', '^connectors/$1/'] },
    },
    {
      name: 'nothing-below-the-gateway-imports-it',
      comment: 'src/gateway/ composes the HTTP app from the parts below it; only the hub (src/hub.ts) and the entry points wire it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(gateway/|hub\\.ts$|main\\.ts$|cli/)' },
      to: { path: '^src/gateway/' },
    },
    {
      name: 'only-entry-points-import-the-hub',
      comment: 'src/hub.ts wires every part; a part importing it would depend on all the others.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(hub\\.ts$|main\\.ts$|cli/)' },
      to: { path: '^src/hub\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles among src/ files, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    // Type-only imports count: a cycle of types is still a cycle a reader has to untangle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
