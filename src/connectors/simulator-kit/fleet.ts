// Sandbox simulators forked as the hub starts, before it builds anything else, so each child's
// boot (Node, express, its data) overlaps the hub's own start instead of following it. Whoever
// needs one takes its promise (the connector layer, the sandbox service); a hub that fails to
// start closes them all.
import { forkSimulator, type SimulatorModule, type SimulatorProcess } from './process.js';

export class SimulatorFleet {
  private readonly started = new Map<string, Promise<SimulatorProcess>>();

  constructor(modules: ReadonlyMap<string, SimulatorModule>) {
    for (const [key, module] of modules) {
      const simulator = forkSimulator(module);
      // Its taker sees a failure; until taken, an unhandled rejection would end the process.
      simulator.catch(() => undefined);
      this.started.set(key, simulator);
    }
  }

  /** The simulator started under `key`, if one was. */
  take(key: string): Promise<SimulatorProcess> | undefined {
    return this.started.get(key);
  }

  /** Stops every simulator of the fleet (those taken too: stopping one twice is harmless). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.started.values()].map(async (simulator) => (await simulator).close()));
  }
}
