// Kafka's default partitioner (murmur2 of the key), borrowed from kafkajs so that a key lands
// in the same partition number on the embedded log as on Kafka. Its module is loaded by path, not
// from the package's root, which loads the whole client (≈ 140 modules) that an embedded hub never
// uses; test/bus/partitioner.unit.test.ts checks it answers as `Partitioners.DefaultPartitioner`
// for 506 keys over five partition counts. The path is internal, so package.json pins kafkajs
// exactly: an `exports` field in a later release would stop the hub from starting.
import { createRequire } from 'node:module';
import type { Partitioners } from 'kafkajs';

const DefaultPartitioner = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/index.js') as typeof Partitioners.DefaultPartitioner;
const kafkaPartitioner = DefaultPartitioner();
const metadataByCount = new Map<number, { partitionId: number; leader: number }[]>();

export function partitionFor(key: string, partitions: number): number {
  let partitionMetadata = metadataByCount.get(partitions);
  if (!partitionMetadata) {
    partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0 }));
    metadataByCount.set(partitions, partitionMetadata);
  }
  return kafkaPartitioner({ topic: '', partitionMetadata: partitionMetadata as never, message: { key, value: null } });
}
