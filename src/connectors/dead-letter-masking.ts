// A dead letter's event as a client may see it: its body masked to the client's clearance by the
// schema of the delivery it failed; a letter whose delivery is gone has no schema to mask by, so
// its body is withheld below rahasia (fail closed).
import type { Classification } from '../domain/classification.js';
import { maskEntity } from '../security/masking.js';
import type { DeadLetter } from './dead-letters.js';
import type { DeliveryWorker } from './outbound.js';

export function maskDeadLetter<T extends DeadLetter>(letter: T, clearance: Classification, workers: DeliveryWorker[]): T & { masked?: 'withheld' } {
  if (clearance === 'rahasia' || letter.event.data === undefined) return letter;
  const worker = workers.find((w) => w.runtime.id === letter.connector && w.operationId === letter.operation);
  if (!worker) {
    const { data: _data, ...event } = letter.event;
    return { ...letter, event, masked: 'withheld' };
  }
  return { ...letter, event: { ...letter.event, data: maskEntity(worker.operation.schema, letter.event.data, clearance) } };
}
