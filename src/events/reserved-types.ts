// The hub's own topics are out of clients' reach. An event type names its topic
// (`topicForType`), so a type whose family is reserved would write into, or read from, a topic
// the hub keeps for itself: dead letters (`<prefix>.dlq.…`), and the names the control-plane
// state and leader leases had before every internal topic moved under `<prefix>._…` (an upgraded
// cluster still holds those topics). `_…` families cannot be written (the type pattern starts
// each segment with a letter or digit); they are refused here too, so no pattern change opens them.
import { HubError } from '../errors/catalogue.js';

const reservedFamilies = new Set(['dlq', 'control', 'leases']);

/** True when events of `type` would go to a topic the hub keeps for itself. */
export function isReservedType(type: string): boolean {
  const family = type.split('.', 1)[0]!;
  return family.startsWith('_') || reservedFamilies.has(family);
}

/** Throws 400 event-type-reserved for a type whose topic is the hub's own. */
export function assertPublicType(type: string, pointer: string): void {
  if (isReservedType(type)) {
    throw new HubError('event-type-reserved', `${type}: types starting with _, dlq., control. or leases. name the hub's own topics`, { errors: [{ pointer, message: 'reserved type family' }] });
  }
}
