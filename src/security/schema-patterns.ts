// `patternProperties` expressions compiled once each and kept, in a bounded cache: masking reads
// them per key of every answer, and the schemas they come from include the OPD services' (a
// client's), so an unbounded map would grow with every version any service ever published.
import { LRUCache } from 'lru-cache';

/** Far above the expressions the canonical and service schemas in use have at once. */
export const SCHEMA_PATTERN_CACHE_SIZE = 256;

/** Exported so its bound can be tested; only `schemaPattern` fills it. */
export const compiledSchemaPatterns = new LRUCache<string, RegExp>({ max: SCHEMA_PATTERN_CACHE_SIZE });

/** The `patternProperties` key `source` as a RegExp (JSON Schema patterns are Unicode). */
export function schemaPattern(source: string): RegExp {
  let pattern = compiledSchemaPatterns.get(source);
  if (!pattern) compiledSchemaPatterns.set(source, (pattern = new RegExp(source, 'u')));
  return pattern;
}
