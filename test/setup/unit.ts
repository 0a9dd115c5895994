// Setup of the `unit` vitest project (vitest.config.ts): unit tests start no child process and
// reach no Kafka; a test that tries is an integration test and is told so, not left to be slow.
import { vi } from 'vitest';
import { refuseInUnitProject } from '../support/unit-guard.js';

vi.mock('node:child_process', () => {
  const refused = (): never => {
    refuseInUnitProject('a child process');
    throw new Error('unreachable: the unit project refuses child processes');
  };
  const api = { spawn: refused, spawnSync: refused, exec: refused, execSync: refused, execFile: refused, execFileSync: refused, fork: refused };
  return { ...api, default: api };
});

delete process.env.KAFKA_BROKERS;
