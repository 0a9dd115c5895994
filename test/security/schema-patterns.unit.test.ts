// The compiled patternProperties expressions masking keeps are bounded: the schemas include OPD
// services' (clients'), so every new expression must not stay in memory for the hub's life.
import { expect, it } from 'vitest';
import { maskBySchema } from '../../src/security/masking.js';
import { compiledSchemaPatterns, SCHEMA_PATTERN_CACHE_SIZE, schemaPattern } from '../../src/security/schema-patterns.js';

it('compiles each expression once while it is in use', () => {
  expect(schemaPattern('^kode_[0-9]+$')).toBe(schemaPattern('^kode_[0-9]+$'));
  expect(schemaPattern('^kode_[0-9]+$').test('kode_12')).toBe(true);
});

it('keeps at most its bound of expressions, dropping the least recently used', () => {
  const sources = Array.from({ length: SCHEMA_PATTERN_CACHE_SIZE * 3 }, (_, index) => `^isian_${index}_[a-z]+$`);
  const first = schemaPattern(sources[0]!);
  for (const source of sources) {
    // Each schema a service might publish, masked once: its expression is compiled and used.
    const schema = { type: 'object', patternProperties: { [source]: { type: 'string', 'x-classification': 'publik' } } };
    const key = source.slice(1, -7) + 'abc';
    expect(maskBySchema(schema, { [key]: 'nilai' }, 'publik')).toEqual({ [key]: 'nilai' });
    expect(compiledSchemaPatterns.size).toBeLessThanOrEqual(SCHEMA_PATTERN_CACHE_SIZE);
  }
  expect(compiledSchemaPatterns.size).toBe(SCHEMA_PATTERN_CACHE_SIZE);
  // The oldest was dropped (compiled again when next used); the newest is kept.
  expect(schemaPattern(sources[0]!)).not.toBe(first);
  // has() leaves the order as it is; asking schemaPattern would compile a dropped one again.
  expect(compiledSchemaPatterns.has(sources.at(-1)!)).toBe(true);
  expect(compiledSchemaPatterns.has(sources.at(-SCHEMA_PATTERN_CACHE_SIZE - 1)!)).toBe(false);
});
