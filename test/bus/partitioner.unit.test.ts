// The embedded log places a key where Kafka would: partitionFor is kafkajs's default partitioner,
// loaded by its module path rather than from the package root (which loads the whole client).
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { partitionFor } from '../../src/bus/partitioner.js';

describe('partitionFor', () => {
  it('answers what kafkajs Partitioners.DefaultPartitioner answers, for every key and partition count', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const keys = [...Array.from({ length: 500 }, (_, i) => `3201${String(i).padStart(12, '0')}`), '', 'a', 'ab', 'abc', 'pengaduan:LAPOR-2026-00001', 'ü€ä'];
    const seen = new Set<number>();
    for (const partitions of [1, 2, 3, 6, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0 }));
      for (const key of keys) {
        const expected = kafkajs({ topic: 't', partitionMetadata: partitionMetadata as never, message: { key, value: null } });
        expect(partitionFor(key, partitions), `${key} over ${partitions}`).toBe(expected);
        if (partitions === 12) seen.add(expected);
      }
    }
    // Not a constant: the keys spread over the partitions.
    expect(seen.size).toBe(12);
  });
});
