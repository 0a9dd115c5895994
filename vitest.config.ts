import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'connectors/**/*.test.ts'],
    globalSetup: ['test/setup/kafka.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: Kafka, the hub under test and vitest share them.
    maxWorkers: 2,
  },
});
