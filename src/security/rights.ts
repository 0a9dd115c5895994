// Rights are strings like `siak:cari-penduduk` or `events:publish:pengaduan.*`; a client holds a
// list of patterns where `*` matches any run of characters. Anything not granted is denied.
import { classificationRank, type Classification } from '../domain/classification.js';
import type { Client } from './clients.js';

const compiled = new Map<string, RegExp>();

function patternOf(right: string): RegExp {
  let pattern = compiled.get(right);
  if (!pattern) {
    pattern = new RegExp(`^${right.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    compiled.set(right, pattern);
  }
  return pattern;
}

/** Whether the granted right (a pattern where `*` matches any run of characters) covers `right`. */
export function rightMatches(granted: string, right: string): boolean {
  return patternOf(granted).test(right);
}

export function holds(client: Client, right: string): boolean {
  return client.rights.some((granted) => patternOf(granted).test(right));
}

export function cleared(client: Client, classification: Classification): boolean {
  return classificationRank(client.clearance) >= classificationRank(classification);
}
