// What every operation of /openapi.json tells a developer besides its shape: a summary, a
// description naming the right the route asks for (`x-penghubung-right`) and the classification
// its answers are masked by (`x-classification`), and no security requirement on the public
// routes. Connector and OPD-service operations carry their own right; the hub's fixed routes get
// theirs from the table below, kept next to the routes' own `requireRight`/`requireOperator`.
const operator = 'role:operator';
const publicRoute = 'public';
/** Any authenticated client, no right needed (a client asking about itself). */
const anyClient = 'role:any';

/** The right (or role) each fixed route checks, by operationId. */
const fixedRights: Record<string, string> = {
  publishEvents: 'events:publish:<type>',
  pullEvents: 'events:subscribe:<type>',
  readPullCursor: 'subscriptions:manage',
  commitPullCursor: 'subscriptions:manage',
  listSubscriptions: 'subscriptions:manage',
  subscribe: 'subscriptions:manage',
  getSubscription: 'subscriptions:manage',
  unsubscribe: 'subscriptions:manage',
  pauseSubscription: 'subscriptions:manage',
  resumeSubscription: 'subscriptions:manage',
  subscriptionDeadLetters: 'subscriptions:manage',
  replaySubscriptionDeadLetter: 'subscriptions:manage',
  subscriptionDeliveries: 'subscriptions:manage',
  listServices: 'catalog:read',
  getService: 'catalog:read',
  registerService: 'services:publish',
  updateService: 'services:publish',
  retireService: 'services:publish',
  approveServiceAccess: 'services:publish',
  refuseServiceAccess: 'services:publish',
  revokeServiceAccess: 'services:publish',
  requestServiceAccess: 'services:request',
  listServiceAccessRequests: 'services:publish or services:request',
  getServiceAccessRequest: 'services:publish or services:request',
  listAccessRequests: 'services:publish or services:request',
  whoAmI: anyClient,
  mySubscriptions: anyClient,
  myDeadLetters: anyClient,
  myDeliveries: anyClient,
  token: publicRoute,
  jwks: publicRoute,
  openidConfiguration: publicRoute,
  openApiDocument: publicRoute,
  live: publicRoute,
  ready: publicRoute,
};

/** Summaries of the fixed routes that have none where they are declared. */
const fixedSummaries: Record<string, string> = {
  connectorStatus: 'Status of one connector: circuit, calls, latency, polls and quota',
  forceCircuit: 'Force a connector’s circuit open or closed (or back to automatic), with a reason, on every instance',
  listDeadLetters: 'Events a connector could not deliver upstream, with the reason, filterable',
  replayDeadLetters: 'Replay the dead letters matching ids or a filter',
  getDeadLetter: 'One dead letter with its event',
  replayDeadLetter: 'Replay one dead letter now',
  discardDeadLetter: 'Discard one dead letter, with a reason (kept in the audit)',
  recentAudit: 'The newest audit entries (digests, never bodies) and whether the signed chain holds',
  listClients: 'Registered clients (never their keys)',
  createClient: 'Register a client: its rights and clearance; its API key is shown once',
  revokeClient: 'Revoke a client: its keys and tokens end on every instance',
  rotateClientKey: 'Issue a new API key for a client',
  listFlows: 'Every flow with its recent instances',
  flowInstances: 'A flow’s instances, newest first',
  flowInstance: 'One flow instance with each step',
  listSubscriptions: 'Your webhook subscriptions (operators: all)',
  getSubscription: 'One of your webhook subscriptions',
  unsubscribe: 'Remove a webhook subscription',
  pauseSubscription: 'Pause a subscription: events wait until it resumes',
  resumeSubscription: 'Resume a subscription from the first event it had not delivered',
  subscriptionDeadLetters: 'Events the subscription could not deliver, newest first',
  replaySubscriptionDeadLetter: 'Deliver one of the subscription’s dead letters again',
  subscriptionDeliveries: 'Every delivery attempt of the subscription, newest first',
  readPullCursor: 'The committed cursor of a named pull consumer',
  commitPullCursor: 'Commit a named pull consumer’s cursor',
  getService: 'One registered OPD service with its OpenAPI document and versions',
  listServiceAccessRequests: 'Access requests to a service (its owner, or yours; operators all)',
  getServiceAccessRequest: 'One access request to a service',
  listAccessRequests: 'Access requests you may see, filterable by status',
  whoAmI: 'Who you are: identity, clearance, rights (own and granted), rate limit, sources',
  mySubscriptions: 'Your webhook subscriptions with their state (active, failing, paused)',
  myDeadLetters: 'Events you published that failed upstream, with the reason, masked to your clearance',
  myDeliveries: 'What became of the events you published: accepted, published, retrying, delivered or dead-lettered per target, with reasons',
  jwks: 'The public keys tokens from /oauth/token are verified with (JWKS)',
  live: 'Liveness: the process answers',
  ready: 'Readiness: whether this instance accepts events (bus, outbox, relay)',
};

const classificationNote: Record<string, string> = {
  publik: 'publik',
  terbatas: 'terbatas — fields above the caller’s clearance are masked',
  rahasia: 'rahasia — fields above the caller’s clearance are masked',
};

/** Descriptions of the fixed routes' parameters: by path prefix and name, the first match wins. */
const parameterDescriptions: [prefix: string, name: string, description: string][] = [
  ['/v1/connectors', 'id', 'a connector id, e.g. `siak`'],
  ['/v1/connectors', 'operation', 'an operation of the connector, e.g. `sub-kegiatan-masuk`'],
  ['/v1/connectors', 'reason', 'only records rejected for this reason'],
  ['/v1/dead-letters', 'id', 'a dead letter id'],
  ['/v1/dead-letters', 'connector', 'only dead letters of this connector, e.g. `lapor`'],
  ['/v1/dead-letters', 'operation', 'only dead letters of this operation'],
  ['/v1/dead-letters', 'type', 'only dead letters of this event type'],
  ['/v1/dead-letters', 'status', 'only dead letters in this state'],
  ['/v1/dead-letters', 'from', 'only dead letters parked at or after this time (RFC 3339)'],
  ['/v1/dead-letters', 'to', 'only dead letters parked before this time (RFC 3339)'],
  ['/v1/clients', 'id', 'a client id'],
  ['/v1/flows', 'id', 'a flow id, e.g. `pengaduan-disposisi`'],
  ['/v1/flows', 'instance', 'a flow instance id'],
  ['/v1/subscriptions', 'id', 'a subscription id (from POST /v1/subscriptions)'],
  ['/v1/subscriptions', 'letter', 'the dead letter’s number within the subscription'],
  ['/v1/services', 'id', 'an OPD service id'],
  ['/v1/services', 'request', 'an access request id'],
  ['/v1/access-requests', 'status', 'only requests in this state'],
  ['/v1/events/cursors', 'consumer', 'your pull consumer’s name'],
  ['/v1/referensi', 'jenis', 'the kind of reference code'],
  ['/v1/referensi', 'kode', 'the code, as written in the source document'],
  ['', 'operation', 'only records of this operation'],
  ['', 'limit', 'at most this many, newest first'],
  ['', 'after', 'the `next` of the previous page'],
];

/** Enums the fixed routes check but declare as plain strings. */
const parameterEnums: [prefix: string, name: string, values: string[]][] = [
  ['/v1/dead-letters', 'status', ['parked', 'replayed', 'discarded']],
];

interface Parameter {
  name: string;
  description?: string;
  schema?: { type?: string; enum?: unknown[] };
}

function describeParameters(path: string, parameters: Parameter[] | undefined): void {
  for (const parameter of parameters ?? []) {
    parameter.description ??= parameterDescriptions.find(([prefix, name]) => path.startsWith(prefix) && name === parameter.name)?.[2];
    const values = parameterEnums.find(([prefix, name]) => path.startsWith(prefix) && name === parameter.name)?.[2];
    if (values && parameter.schema?.type === 'string' && !parameter.schema.enum) parameter.schema = { ...parameter.schema, enum: values };
  }
}

interface Operation {
  parameters?: Parameter[];
  summary?: string;
  description?: string;
  security?: unknown[];
  'x-role'?: string;
  'x-right'?: string;
  'x-penghubung-right'?: string;
  'x-classification'?: string;
  operationId?: string;
}

/** A copy of the document with the docs added: the connectors' operations are reused at every rebuild. */
export function withOperationDocs(original: object): object {
  const document = structuredClone(original);
  const paths = (document as { paths: Record<string, Record<string, Operation>> }).paths;
  for (const [path, methods] of Object.entries(paths)) {
    for (const operation of Object.values(methods)) {
      const id = operation.operationId ?? '';
      describeParameters(path, operation.parameters);
      operation.summary ??= fixedSummaries[id] ?? id;
      const right = operation['x-penghubung-right'] ?? operation['x-right'] ?? fixedRights[id] ?? (operation['x-role'] === 'operator' ? operator : undefined);
      // A route added without a right here is left without one (test/openapi/ names it), not a failed start.
      if (right) operation['x-penghubung-right'] = right;
      if (right === publicRoute) operation.security = [];
      const access = !right ? '' : right === publicRoute ? 'Public: no key needed.' : right === operator ? 'Needs the operator role.' : right === anyClient ? 'Any authenticated client; no right needed.' : `Needs the right \`${right}\`.`;
      const classification = operation['x-classification'] ? ` Classification: ${classificationNote[operation['x-classification']] ?? operation['x-classification']}.` : '';
      operation.description = `${operation.description ?? operation.summary}\n\n${access}${classification}`;
    }
  }
  return document;
}
