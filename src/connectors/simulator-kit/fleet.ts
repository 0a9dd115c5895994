// Sandbox simulators forked as the hub starts, before it builds anything else, so their host's
// boot (Node, express, their data) overlaps the hub's own start instead of following it. Whoever
// needs one takes its promise (the connector layer, the sandbox service); a hub that fails to
// start closes them all.
import { forkSimulators, type SimulatorModule, type SimulatorProcess } from './process.js';

export class SimulatorFleet {
  private readonly started = new Map<string, Promise<SimulatorProcess>>();
  private closeHost = async (): Promise<void> => undefined;

  constructor(modules: ReadonlyMap<string, SimulatorModule>) {
    if (modules.size === 0) return;
    const { simulators, closeAll } = forkSimulators(modules);
    // Its taker sees a failure; until taken, an unhandled rejection would end the process.
    for (const [key, simulator] of simulators) {
      simulator.catch(() => undefined);
      this.started.set(key, simulator);
    }
    this.closeHost = closeAll;
  }

  /** The simulator started under `key`, if one was. */
  take(key: string): Promise<SimulatorProcess> | undefined {
    return this.started.get(key);
  }

  /** Stops every simulator of the fleet (those taken too: stopping one twice is harmless). */
  close(): Promise<void> {
    return this.closeHost();
  }
}
