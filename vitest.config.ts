import { defineConfig } from 'vitest/config';

// Two projects, told apart by path with no per-file list:
// - unit: `test/**/*.unit.test.ts` and every test under connectors/ and src/ (a connector's own
//   tests drive its simulator in-process). No Kafka, no child processes, no hub, no browser:
//   test/setup/unit.ts refuses them with a message saying to rename the file. Seconds.
// - integration: every other test (Kafka, hubs, child processes, Chromium). Only this project
//   starts (or checks) the Kafka broker.
const unit = ['test/**/*.unit.test.ts', 'src/**/*.test.ts', 'connectors/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: Kafka, the hub under test and vitest share them.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: unit, setupFiles: ['test/setup/unit.ts'], env: { PENGHUBUNG_TEST_PROJECT: 'unit' } },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: unit, globalSetup: ['test/setup/kafka.global.ts'] },
      },
    ],
  },
});
