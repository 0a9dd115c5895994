// SIAK's limit of calls in flight as its manifest records it (resilience.concurrency): the hub's
// agent keeps that many upstream sockets, and a bare hop held to the same number meets the
// simulator with the hub's traffic shape (bench/query.ts, bench/query-diff.ts).
import { readFileSync } from 'node:fs';
import { projectPath } from '../../src/project-path.js';
import { parseYaml } from '../../src/yaml-text.js';

const manifest = parseYaml(readFileSync(projectPath('connectors', 'siak', 'manifest.yaml'), 'utf8')) as { resilience?: { concurrency?: unknown } };
const concurrency = manifest.resilience?.concurrency;
if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) throw new Error('connectors/siak/manifest.yaml names no resilience.concurrency');

export const siakConcurrency: number = concurrency;
