// A hub instance's identity, kept in its data directory: consumers that build per-instance
// state (views, the dead-letter index) need a consumer group of their own on every instance,
// or instances would split the events between them.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function instanceId(dataDir: string): string {
  const file = join(dataDir, 'instance-id');
  if (!existsSync(file)) writeFileSync(file, `${randomUUID()}\n`);
  return readFileSync(file, 'utf8').trim();
}
