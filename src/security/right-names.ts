// Refuses rights that name no operation: a right given to a client or asked for in a grant is
// checked against every right some operation of the hub checks, so a typo (`siak:cari-pendudk`,
// `sipd:daftar-subkegiatan*`) is refused when it is written, naming the nearest right there is,
// instead of a 403 the client meets later. A pattern must match at least one right.
import { closest, distance } from 'fastest-levenshtein';
import { HubError, type ProblemDetail } from '../errors/catalogue.js';
import { rightMatches } from './rights.js';

/** Where the refused rights are: each right's JSON pointer, e.g. `/rights/2`. */
export function unknownRights(rights: readonly string[], known: readonly string[], pointer = (index: number) => `/rights/${index}`): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  rights.forEach((right, index) => {
    if (known.some((name) => rightMatches(right, name))) return;
    const nearest = nearestRight(right, known);
    problems.push({ pointer: pointer(index), message: `${right} names no operation${nearest ? `; the nearest right is ${nearest}` : ''}` });
  });
  return problems;
}

/**
 * The known right nearest by edit distance; for a pattern, the pattern with its fixed start
 * corrected (`sipd:dafter-*` → `sipd:daftar-*`) when that matches some right.
 */
function nearestRight(right: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const star = right.indexOf('*');
  if (star > 0) {
    const written = right.slice(0, star);
    const start = closest(written, known.map((name) => name.slice(0, star)));
    const corrected = start + right.slice(star);
    // A correction of a few characters is a typo fixed; more would be another right altogether.
    if (distance(written, start) <= 2 && known.some((name) => rightMatches(corrected, name))) return corrected;
  }
  // Nearest among the rights of the same family (`siak:`, `events:publish:`) when there are some.
  const family = right.slice(0, right.lastIndexOf(':') + 1);
  const kin = family ? known.filter((name) => name.startsWith(family)) : [];
  return closest(right, kin.length > 0 ? kin : known);
}

/** Throws `right-unknown` (422) naming each refused right and its nearest known one. */
export function refuseUnknownRights(rights: readonly string[], known: readonly string[], pointer?: (index: number) => string): void {
  const problems = unknownRights(rights, known, pointer);
  if (problems.length === 0) return;
  throw new HubError('right-unknown', problems.map((problem) => problem.message).join('; '), { errors: problems });
}
