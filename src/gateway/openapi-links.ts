// OpenAPI links: which response supplies the path parameters of which operation. They document
// how the API is walked (create → read/act/delete, list → item) and drive Schemathesis's
// stateful phase in CI, which follows them to test operations on resources that exist.
type Operation = { operationId?: string; responses?: Record<string, { links?: Record<string, unknown> }> };
type Paths = Record<string, Record<string, Operation>>;

/** operationId → status → the operations its body's id feeds (`$response.body#/<pointer>`). */
const adminLinks: Record<string, Record<string, { pointer: string; targets: string[] }>> = {
  createClient: { '201': { pointer: '/client/id', targets: ['revokeClient', 'rotateClientKey'] } },
  subscribe: { '201': { pointer: '/subscription/id', targets: ['getSubscription', 'unsubscribe', 'resumeSubscription', 'subscriptionDeliveries'] } },
  connectorStatuses: { '200': { pointer: '/connectors/0/id', targets: ['connectorStatus', 'forceCircuit'] } },
  listDeadLetters: { '200': { pointer: '/dead_letters/0/id', targets: ['getDeadLetter', 'replayDeadLetter', 'discardDeadLetter'] } },
  listFlows: { '200': { pointer: '/flows/0/id', targets: ['flowInstances'] } },
};

export function withLinks(document: object): object {
  const paths = (document as { paths: Paths }).paths;
  const operations = new Map<string, Operation>();
  for (const methods of Object.values(paths)) for (const operation of Object.values(methods)) if (operation.operationId) operations.set(operation.operationId, operation);

  for (const [source, byStatus] of Object.entries(adminLinks)) {
    for (const [status, { pointer, targets }] of Object.entries(byStatus)) {
      for (const target of targets) link(operations.get(source), status, target, { id: `$response.body#${pointer}` }, operations);
    }
  }
  // A connector's command (POST /v1/<entity>, 202 with the entity's id) → its view's item path.
  for (const [path, methods] of Object.entries(paths)) {
    const item = paths[`${path}/{id}`]?.get;
    if (methods.post?.responses?.['202'] && item?.operationId) link(methods.post, '202', item.operationId, { id: '$response.body#/id' }, operations);
  }
  return document;
}

function link(source: Operation | undefined, status: string, target: string, parameters: Record<string, string>, operations: Map<string, Operation>): void {
  const response = source?.responses?.[status];
  if (!response || !operations.has(target)) return;
  response.links = { ...response.links, [target]: { operationId: target, parameters } };
}
