// In sandbox mode the hub shows the OPD-services flow on first start: the example e-kinerja runs
// (its simulator, unless EKINERJA_BASE_URL names one already running, as a cluster shares one),
// its owner BKPSDM has published it, one demo app holds an approved grant and another waits for
// the owner's decision. Each step is audited as the hub acting for the client. A later start
// with a new simulator address publishes a new version pointing at it.
import type { Logger } from 'pino';
import { forkSimulator } from '../../connectors/simulator-kit/process.js';
import type { Simulator } from '../../connectors/sdk.js';
import { recordHubCall, type AuditRecorder } from '../../security/audit/hub-call.js';
import type { Client } from '../../security/clients.js';
import type { SecretBox } from '../../security/secret-box.js';
import { TargetGuard, type TargetPolicy } from '../../subscriptions/target-guard.js';
import type { AccessRequest } from '../service-definition.js';
import { ServicePublisher } from '../service-publisher.js';
import type { ServiceRegistry } from '../service-registry.js';
import { EKINERJA_ID, ekinerjaServiceInput } from './ekinerja-service.js';
import { ekinerjaSimulatorModule } from './ekinerja-simulator-module.js';

/** The sandbox clients (config/clients.yaml) the example involves. */
export const SANDBOX_SERVICE_CLIENTS = { owner: 'aplikasi-bkpsdm', grantee: 'aplikasi-opd-demo', waiting: 'portal-publik' } as const;

export interface SandboxService {
  id: string;
  title: string;
  url: string;
  simulator: Simulator | undefined;
  /** A call the grantee may make at once; `{hub}` stands for the hub's URL. */
  example: string;
  /** The client holding the approved grant. */
  grantee: string;
  close(): Promise<void>;
}

export interface SandboxServiceDeps {
  registry: ServiceRegistry;
  clients: { get(id: string): Client | undefined };
  secrets: SecretBox;
  /** The deployment's SSRF policy (its intranet networks apply to EKINERJA_BASE_URL too). */
  policy: TargetPolicy;
  audit: AuditRecorder;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Where the example's simulator runs: a child process (default) or this process (tests). */
  simulators?: 'process' | 'in-process';
  /** Its simulator, when the hub forked it as it began to start (simulator-kit/fleet.ts). */
  simulator?: Promise<Simulator>;
}

/** The e-kinerja simulator, imported only when it runs in this process. */
async function startSimulator(deps: SandboxServiceDeps): Promise<Simulator> {
  if (deps.simulator) return deps.simulator;
  if (deps.simulators === 'in-process') return (await import('./ekinerja-simulator.js')).startEkinerjaSimulator();
  return forkSimulator(ekinerjaSimulatorModule({})!);
}

export async function seedSandboxService(deps: SandboxServiceDeps): Promise<SandboxService | undefined> {
  const owner = deps.clients.get(SANDBOX_SERVICE_CLIENTS.owner);
  if (!owner) {
    deps.logger.warn({ client: SANDBOX_SERVICE_CLIENTS.owner }, 'the sandbox example service needs its owner client; none is registered, so it is left out');
    await deps.simulator?.then((simulator) => simulator.close(), () => undefined);
    return undefined;
  }
  const given = deps.env.EKINERJA_BASE_URL;
  const simulator = given ? undefined : await startSimulator(deps);
  const url = given ?? simulator!.url;
  try {
    // The address is the hub's own simulator or the operator's EKINERJA_BASE_URL, never a client's: loopback is let through (metadata addresses never are).
    const policy: TargetPolicy = { allowedNetworks: deps.policy.allowedNetworks, allowLoopback: true };
    const publisher = new ServicePublisher({ registry: deps.registry, secrets: deps.secrets, guard: new TargetGuard(policy) });
    const audited = async <T>(operation: string, method: string, route: string, onBehalfOf: string, run: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await run();
      recordHubCall(deps.audit, { operation, connector: `layanan:${EKINERJA_ID}`, method, route, onBehalfOf }, { status: 200, outcome: 'ok', latencyMs: performance.now() - started });
      return result;
    };
    const current = deps.registry.get(EKINERJA_ID);
    if (!current) {
      await audited('services:register', 'POST', '/sandbox/services', owner.id, () => publisher.register(owner, ekinerjaServiceInput(url)));
      await fileRequests(deps, owner, audited);
    } else if (current.owner === owner.id && current.baseUrl !== url && current.status === 'active') {
      await audited('services:update', 'PUT', '/sandbox/services/:id', owner.id, () => publisher.update(owner, EKINERJA_ID, ekinerjaServiceInput(url)));
    } else if (current.owner !== owner.id) {
      deps.logger.warn({ service: EKINERJA_ID, owner: current.owner }, 'a service with the example id belongs to another client; the sandbox example is left as it is');
    }
  } catch (error) {
    // An example that cannot be set up (another instance registering it at the same moment) must not stop the hub.
    deps.logger.warn({ err: error, service: EKINERJA_ID }, 'the sandbox example service was not set up');
    await simulator?.close();
    return undefined;
  }
  return {
    id: EKINERJA_ID,
    title: ekinerjaServiceInput(url).title,
    url,
    simulator,
    example: `curl {hub}/v1/layanan/${EKINERJA_ID}/api/v1/pegawai/198703152010011002`,
    grantee: SANDBOX_SERVICE_CLIENTS.grantee,
    close: async () => simulator?.close(),
  };
}

type Audited = <T>(operation: string, method: string, route: string, onBehalfOf: string, run: () => Promise<T>) => Promise<T>;

/**
 * One approved grant (every operation) and one request waiting for the owner, under fixed ids: hubs
 * of a cluster starting together file them once between them, not once each.
 */
async function fileRequests(deps: SandboxServiceDeps, owner: Client, audited: Audited): Promise<void> {
  const now = new Date().toISOString();
  const grantee = deps.clients.get(SANDBOX_SERVICE_CLIENTS.grantee);
  if (grantee) {
    const request: AccessRequest = { id: `sandbox-${grantee.id}`, service: EKINERJA_ID, operations: '*', client: grantee.id, purpose: 'Memeriksa jabatan dan unit kerja pegawai penanggung jawab pekerjaan jalan', status: 'pending', requestedAt: now };
    await audited('services:request-access', 'POST', '/sandbox/services/:id/access-requests', grantee.id, () => deps.registry.putAccessRequest(request));
    await audited('services:approve', 'POST', '/sandbox/services/:id/access-requests/:request/approve', owner.id, () => deps.registry.putAccessRequest({ ...request, status: 'approved', decidedBy: owner.id, decidedAt: now }));
  }
  const waiting = deps.clients.get(SANDBOX_SERVICE_CLIENTS.waiting);
  if (waiting) {
    const request: AccessRequest = { id: `sandbox-${waiting.id}`, service: EKINERJA_ID, operations: ['daftar-pegawai'], client: waiting.id, purpose: 'Menampilkan daftar jabatan pegawai di portal data publik', status: 'pending', requestedAt: now };
    await audited('services:request-access', 'POST', '/sandbox/services/:id/access-requests', waiting.id, () => deps.registry.putAccessRequest(request));
  }
}
