// Picks where the control-plane state lives: the embedded SQLite file for one instance.
// (The Kafka backend, shared by every instance on one cluster, is chosen here when the bus is Kafka.)
import { join, resolve } from 'node:path';
import type { HubConfig } from '../config/config.js';
import { EmbeddedState } from './embedded-state.js';
import type { StateLayer } from './state-layer.js';

export function createStateLayer(config: HubConfig): StateLayer {
  return new EmbeddedState(join(resolve(config.dataDir), 'control.db'));
}
