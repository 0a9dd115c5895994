// Reading a registered OpenAPI document into the operations the hub exposes.
import { describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors/catalogue.js';
import { operationsFromOpenApi } from '../../src/services/openapi-operations.js';

const info = { title: 'Perizinan', version: '1.0.0' };

async function refusal(document: Record<string, unknown>): Promise<{ code: string; errors: unknown }> {
  try {
    await operationsFromOpenApi(document);
  } catch (error) {
    if (error instanceof HubError) return { code: error.code, errors: error.errors };
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('operations from an OpenAPI document', () => {
  it('reads a 3.0 XML service: ids made from method and path when missing, schemas, idempotency, events', async () => {
    const operations = await operationsFromOpenApi({
      openapi: '3.0.3',
      info,
      paths: {
        '/izin/{nomor}': {
          get: { responses: { '200': { description: 'Izin', content: { 'application/xml': { schema: { $ref: '#/components/schemas/Izin' } } } } } },
          put: { operationId: 'ubahIzin', requestBody: { content: { 'text/xml; charset=utf-8': { schema: { type: 'string' } } } }, responses: { '204': { description: 'Diubah' } } },
        },
        '/izin': { post: { operationId: 'ajukanIzin', 'x-penghubung-emits': 'perizinan.izin.diajukan', responses: { '201': { description: 'Diajukan', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      },
      components: { schemas: { Izin: { type: 'object', properties: { nomor: { type: 'string' } } } } },
    });
    expect(operations).toEqual([
      { id: 'get-izin-nomor', method: 'GET', path: '/izin/{nomor}', idempotent: true, contentType: 'application/xml', responseSchema: { type: 'object', properties: { nomor: { type: 'string' } } } },
      { id: 'ubahIzin', method: 'PUT', path: '/izin/{nomor}', idempotent: true, contentType: 'text/xml', requestSchema: { type: 'string' } },
      { id: 'ajukanIzin', method: 'POST', path: '/izin', idempotent: false, contentType: 'application/json', responseSchema: { type: 'object' }, emits: 'perizinan.izin.diajukan' },
    ]);
  });

  it('refuses Swagger 2.0, an invalid document, circular references, references outside it and a bad event type', async () => {
    expect(await refusal({ swagger: '2.0', info, paths: {} })).toMatchObject({ code: 'request-invalid', errors: [{ pointer: '/openapi/openapi' }] });
    expect(await refusal({ openapi: '3.1.0', info: {}, paths: {} })).toMatchObject({ code: 'request-invalid', errors: [{ pointer: '/openapi' }] });
    expect(await refusal({ openapi: '3.1.0', info, paths: { '/a': { get: { responses: { '200': { description: 'a', content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } } }, components: { schemas: { A: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } } } } })).toMatchObject({ code: 'request-invalid' });
    expect(await refusal({ openapi: '3.1.0', info, paths: { '/a': { get: { responses: { '200': { description: 'a', content: { 'application/json': { schema: { $ref: 'file:///etc/passwd' } } } } } } } } })).toMatchObject({ errors: [{ pointer: '/openapi/paths/~1a/get/responses/200/content/application~1json/schema/$ref' }] });
    expect(await refusal({ openapi: '3.1.0', info, paths: { '/a': { post: { 'x-penghubung-emits': 'Bukan Jenis', responses: { '201': { description: 'a' } } } } } })).toMatchObject({ errors: [{ pointer: '/openapi/paths/~1a/post/x-penghubung-emits' }] });
    expect(await refusal({ openapi: '3.1.0', info, paths: {} })).toMatchObject({ errors: [{ pointer: '/openapi/paths' }] });
  });
});
