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

  /**
   * Stops the simulator started under `key`, which nobody will take: discovery refused its
   * connector (the early fork reads only the manifest's id and upstream variable).
   */
  release(key: string): void {
    const simulator = this.started.get(key);
    if (!simulator) return;
    this.started.delete(key);
    // Once it listens: the host reads no message before every simulator of it has started.
    void simulator.then((started) => started.close(), () => undefined).catch(() => undefined);
  }

  /** Stops every simulator of the fleet (those taken too: stopping one twice is harmless). */
  close(): Promise<void> {
    return this.closeHost();
  }
}
