import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { EmbeddedState } from '../../src/state/embedded-state.js';
import { stateLayerContract } from './contract.js';

describe('embedded control state (SQLite)', () => {
  stateLayerContract(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'phb-state-')), 'control.db');
    const start = async (): Promise<EmbeddedState> => {
      const layer = new EmbeddedState(file);
      await layer.start();
      return layer;
    };
    return { layer: await start(), reopen: start };
  });
});
