// A record's fields read by a table of aliases in one pass over its keys: for each field what
// `pick(record, aliases)` gives, and what `extrasOf(record, every alias)` leaves over. For mappings
// that read a dozen or more fields of every record: `pick` looks up every alias of every field, this
// normalises each key of the record once against a table built once.
import { normaliseKey, type Doc } from './fields.js';

/** What one record holds, by field, and the rest of its keys (undefined when nothing is left). */
export interface TableRead<Field extends string> {
  fields: Partial<Record<Field, unknown>>;
  extras: Record<string, unknown> | undefined;
}

/**
 * Compiles `aliases` (field → its keys in order of preference, compared by normalised key as `pick`
 * compares them) into a reader of records. For each field: the value of the record's first key (in
 * key order) with a value (not null or undefined) under the most preferred alias that has one.
 */
export function keyTable<Field extends string>(aliases: Readonly<Record<Field, readonly string[]>>): (record: Doc) => TableRead<Field> {
  /** Normal key → the fields it names, with its rank among each field's aliases. */
  const byKey = new Map<string, { field: Field; rank: number }[]>();
  for (const field of Object.keys(aliases) as Field[]) {
    aliases[field].forEach((alias, rank) => {
      const normal = normaliseKey(alias);
      const named = byKey.get(normal) ?? [];
      // An alias listed twice for one field counts where it is first.
      if (!named.some((entry) => entry.field === field)) named.push({ field, rank });
      byKey.set(normal, named);
    });
  }
  return (record) => {
    const fields: Partial<Record<Field, unknown>> = {};
    const ranks: Partial<Record<Field, number>> = {};
    let extras: [string, unknown][] | undefined;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const value = record[key];
      if (value === undefined || value === null) continue;
      const named = byKey.get(normaliseKey(key));
      if (named === undefined) {
        (extras ??= []).push([key, value]);
        continue;
      }
      for (const { field, rank } of named) {
        const best = ranks[field];
        if (best === undefined || rank < best) {
          fields[field] = value;
          ranks[field] = rank;
        }
      }
    }
    return { fields, extras: extras === undefined ? undefined : Object.fromEntries(extras) };
  };
}
