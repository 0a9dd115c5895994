// GET /v1/referensi/{jenis}/{kode}: is this code valid, at which level, what is it called, and
// how is it written today. 200 with the normalised code; 422 `code-invalid` saying what is wrong
// with a malformed code; 404 `code-unknown` for a well-formed code the hub has no name for. Any
// client holding `referensi:read` may ask (the codes are public regulation).
import { Router } from 'express';
import { HubError } from '../errors/catalogue.js';
import { requireRight } from '../security/authorize.js';
import { bacaKode, JENIS_REFERENSI, type JenisReferensi } from './kode-referensi.js';
import type { ReferenceData } from './reference-data.js';

export const REFERENSI_RIGHT = 'referensi:read';

const isJenis = (value: string): value is JenisReferensi => (JENIS_REFERENSI as readonly string[]).includes(value);

/** Archive codes below a primary class are valid without a listed name: the class names them. */
const namedByClassAlone = (jenis: JenisReferensi): boolean => jenis === 'klasifikasi-arsip';

export function referensiRoutes(data: ReferenceData): Router {
  const router = Router();
  router.get('/v1/referensi/:jenis/:kode', requireRight(REFERENSI_RIGHT), (req, res) => {
    const { jenis, kode } = req.params as { jenis: string; kode: string };
    if (!isJenis(jenis)) throw new HubError('route-not-found', `no reference of kind ${JSON.stringify(jenis.slice(0, 40))}; there are ${JENIS_REFERENSI.join(', ')}`);
    const bacaan = bacaKode(jenis, kode);
    if (bacaan.status === 'malformed') {
      throw new HubError('code-invalid', `${JSON.stringify(kode.slice(0, 40))} is not a ${jenis} code: ${bacaan.alasan}`, { errors: [{ pointer: '/kode', message: bacaan.alasan }] });
    }
    if (bacaan.status === 'unknown') throw new HubError('code-unknown', `${bacaan.kode_normal} is written correctly but names nothing: ${bacaan.alasan}`);
    const { kode_normal: kodeNormal, induk, level } = bacaan.kode;
    const nama = data.nameOf(jenis, kodeNormal);
    if (!nama && !namedByClassAlone(jenis)) throw new HubError('code-unknown', `the hub's reference data has no ${jenis} ${kodeNormal}`);
    res.json({
      jenis,
      kode,
      kode_normal: kodeNormal,
      level,
      ...(nama ? { nama: nama.nama, sumber: nama.sumber } : {}),
      induk: induk.map((parent) => {
        const parentNama = data.nameOf(jenis, parent.kode);
        return parentNama ? { ...parent, nama: parentNama.nama } : parent;
      }),
    });
  });
  return router;
}

/** The OpenAPI description of the route. */
export function referensiOpenApi(): Record<string, unknown> {
  const problem = { $ref: '#/components/responses/Problem' };
  const level = { type: 'object', required: ['kode', 'level'], properties: { kode: { type: 'string' }, level: { type: 'string' }, nama: { type: 'string' } } };
  return {
    '/v1/referensi/{jenis}/{kode}': {
      get: {
        tags: ['referensi'],
        operationId: 'referensiKode',
        summary: 'Validate a sub-kegiatan, kode rekening or klasifikasi arsip code: its level, its name where known, and its current spelling (pre-2022 and unpadded forms normalised)',
        'x-right': REFERENSI_RIGHT,
        parameters: [
          { name: 'jenis', in: 'path', required: true, schema: { enum: [...JENIS_REFERENSI] } },
          { name: 'kode', in: 'path', required: true, schema: { type: 'string', maxLength: 40 }, examples: { subKegiatan: { value: '1.02.01.2.01.0001' }, lama: { value: '1.02.01.2.01.01' }, rekening: { value: '5.1.02.01.01.0024' }, arsip: { value: '000.1.2' } } },
        ],
        responses: {
          '200': {
            description: 'The code, normalised, with its level, name and the levels above it',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['jenis', 'kode', 'kode_normal', 'level', 'induk'],
                  properties: {
                    jenis: { enum: [...JENIS_REFERENSI] },
                    kode: { type: 'string', description: 'as asked' },
                    kode_normal: { type: 'string', description: 'the current spelling: 1.02.01.2.01.01 → 1.02.01.2.01.0001, 5.1.2.1.1.24 → 5.1.02.01.01.0024, 000.01.02 → 000.1.2' },
                    level: { type: 'string' },
                    nama: { type: 'string' },
                    sumber: { type: 'string', description: 'SIPD, or the regulation the shipped extract cites' },
                    induk: { type: 'array', items: level },
                  },
                },
              },
            },
          },
          '401': problem, '403': problem, '404': problem, '422': problem,
        },
      },
    },
  };
}
