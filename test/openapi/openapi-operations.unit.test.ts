// The docs pass of /openapi.json: descriptions name the right (or say the route is public), the
// fixed routes' parameters are described, and a rebuild (the document is rebuilt when an OPD
// service changes, from the same connector operations) does not describe anything twice.
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/gateway/openapi.js';

interface Operation {
  description: string;
  security?: unknown[];
  parameters?: { name: string; description?: string; schema: { enum?: string[] } }[];
}
type Document = { paths: Record<string, Record<string, Operation>> };

const connectorPaths = { '/v1/contoh/{id}': { get: { operationId: 'contoh.lihat', summary: 'Look one up', 'x-penghubung-right': 'contoh:lihat', 'x-classification': 'terbatas', responses: {} } } };

describe('operation docs', () => {
  it('names the right and classification, and says which routes are public', () => {
    const document = buildOpenApi('0.0.0', { paths: connectorPaths, schemas: {} }) as Document;
    expect(document.paths['/v1/contoh/{id}']!.get!.description).toBe('Look one up\n\nNeeds the right `contoh:lihat`. Classification: terbatas — fields above the caller’s clearance are masked.');
    expect(document.paths['/v1/connectors']!.get!.description).toContain('Needs the operator role.');
    expect(document.paths['/health/ready']!.get!).toMatchObject({ security: [], description: expect.stringContaining('Public: no key needed.') });
  });

  it('describes the fixed routes’ parameters and the enums they check', () => {
    const document = buildOpenApi('0.0.0') as Document;
    const status = document.paths['/v1/dead-letters']!.get!.parameters!.find((p) => p.name === 'status')!;
    expect(status.description).toBe('only dead letters in this state');
    expect(status.schema.enum).toEqual(['parked', 'replayed', 'discarded']);
    expect(document.paths['/v1/subscriptions/{id}']!.get!.parameters![0]!.description).toContain('subscription id');
  });

  it('describes nothing twice when the document is rebuilt from the same operations', () => {
    const extra = { paths: connectorPaths, schemas: {} };
    const first = buildOpenApi('0.0.0', extra);
    expect(buildOpenApi('0.0.0', extra)).toEqual(first);
    expect(connectorPaths['/v1/contoh/{id}'].get).not.toHaveProperty('description');
  });
});
