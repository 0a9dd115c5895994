// Kafka's default partitioner (murmur2 of the key), borrowed from kafkajs so that a key lands
// in the same partition number on the embedded log as on Kafka.
import { Partitioners } from 'kafkajs';

const kafkaPartitioner = Partitioners.DefaultPartitioner();
const metadataByCount = new Map<number, { partitionId: number; leader: number }[]>();

export function partitionFor(key: string, partitions: number): number {
  let partitionMetadata = metadataByCount.get(partitions);
  if (!partitionMetadata) {
    partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0 }));
    metadataByCount.set(partitions, partitionMetadata);
  }
  return kafkaPartitioner({ topic: '', partitionMetadata: partitionMetadata as never, message: { key, value: null } });
}
