// Where the state key (security.stateKeyFile) may live and who makes it: made beside the data
// directory for one instance or in the sandbox; required with the state on Kafka in production,
// where every instance must hold the same file; never inside the data directory in production.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { stateSecretBox } from '../../src/security/key-placement.js';

const dataDirIn = (): string => join(mkdtempSync(join(tmpdir(), 'phb-state-key-')), 'data');
const config = (mode: 'sandbox' | 'production', stateKeyFile = ''): ReturnType<typeof loadConfig> => loadConfig({}, { mode, security: { stateKeyFile } });

describe('the state key file', () => {
  it('is made beside the data directory for one instance, also in production, and in the sandbox on Kafka', () => {
    for (const [mode, kind] of [['production', 'embedded'], ['sandbox', 'kafka']] as const) {
      const dataDir = dataDirIn();
      const { box, keyFile } = stateSecretBox(config(mode), dataDir, kind);
      expect(keyFile).toBe(join(`${dataDir}-keys`, 'state.key'));
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      // The same file next time: what it sealed opens.
      const sealed = box.seal('rahasia', 'token-key:k1');
      expect(stateSecretBox(config(mode), dataDir, kind).box.open(sealed, 'token-key:k1')).toBe('rahasia');
    }
  });

  it('must be set, and exist, with the state on Kafka in production', () => {
    const dataDir = dataDirIn();
    expect(() => stateSecretBox(config('production'), dataDir, 'kafka')).toThrow(/^security\.stateKeyFile is not set: with the state on Kafka, every instance opens the shared token-signing keys with the same key file/);
    const missing = join(mkdtempSync(join(tmpdir(), 'phb-state-key-')), 'state.key');
    expect(() => stateSecretBox(config('production', missing), dataDir, 'kafka')).toThrow(/^security\.stateKeyFile: the state key file .*state\.key does not exist$/);
    expect(existsSync(missing)).toBe(false);
    writeFileSync(missing, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    expect(stateSecretBox(config('production', missing), dataDir, 'kafka').keyFile).toBe(missing);
  });

  it('is refused inside the data directory in production', () => {
    const dataDir = dataDirIn();
    expect(() => stateSecretBox(config('production', join(dataDir, 'state.key')), dataDir, 'embedded')).toThrow(/^security\.stateKeyFile .*state\.key is inside the data directory/);
  });
});
