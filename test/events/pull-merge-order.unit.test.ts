// The pull API merges partitions oldest record first. Records of one batch share a timestamp; a
// tie must be decided the same way on every instance, or two hubs page the same cursor
// differently (seen in pull-across-instances: one hub's page held one partition's records, the
// other's another's).
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { FetchedPartition } from '../../src/bus/kafka-partition-reader.js';
import { oldestHead } from '../../src/events/pull/kafka-pull-source.js';

const fetched = (topic: string, partition: number, timestamp: number): FetchedPartition => ({
  topic,
  partition,
  offset: 0,
  highWatermark: 1,
  messages: [{ timestamp: String(timestamp), offset: '0', key: null, value: null, attributes: 0, headers: {} } as unknown as KafkaMessage],
});

const headOf = (entries: FetchedPartition[]): string => oldestHead(new Map(entries.map((entry) => [`${entry.topic}/${entry.partition}`, entry])))[0];

describe('the pull merge order', () => {
  it('takes the oldest record first', () => {
    expect(headOf([fetched('p.uji', 0, 20), fetched('p.uji', 1, 10), fetched('p.uji', 2, 30)])).toBe('p.uji/1');
  });

  it('breaks a tie by topic, then partition, whatever order the fetch answered in', () => {
    const tied = [fetched('p.uji', 2, 10), fetched('p.uji', 1, 10), fetched('p.lain', 3, 10), fetched('p.uji', 0, 11)];
    expect(headOf(tied)).toBe('p.lain/3');
    expect(headOf(tied.slice(1))).toBe('p.lain/3');
    expect(headOf([tied[0]!, tied[1]!])).toBe('p.uji/1');
    expect(headOf([tied[1]!, tied[0]!])).toBe('p.uji/1');
  });
});
