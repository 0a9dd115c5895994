// How the example e-kinerja is published to the hub, as its owner (BKPSDM) would send it to
// POST /v1/services: an OpenAPI 3.1 document (one XML operation among JSON ones; the target
// submission emits kinerja.sasaran.diajukan), a static key, and the classification of each answer
// field. The NIK and phone number are deliberately left unclassified: the hub masks them as rahasia.
import type { ServiceInput } from '../service-definition.js';
import { SANDBOX_API_KEY } from './ekinerja-data.js';

export const EKINERJA_ID = 'ekinerja';

const pegawai = {
  type: 'object',
  required: ['nip', 'nama'],
  properties: {
    nip: { type: 'string', pattern: '^\\d{18}$' },
    nama: { type: 'string' },
    jabatan: { type: 'string' },
    unit_kerja: { type: 'string' },
    nik: { type: 'string' },
    telepon: { type: 'string' },
  },
};

const nip = { name: 'nip', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{18}$' } };

export const ekinerjaOpenApi = {
  openapi: '3.1.0',
  info: { title: 'e-Kinerja BKPSDM (example)', version: '1.0.0' },
  paths: {
    '/api/v1/pegawai': {
      get: {
        operationId: 'daftar-pegawai',
        summary: 'Civil servants, optionally of one unit (unit_kerja)',
        parameters: [{ name: 'unit_kerja', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'the list', content: { 'application/json': { schema: { type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: pegawai }, total: { type: 'integer' } } } } } } },
      },
    },
    '/api/v1/pegawai/{nip}': {
      get: {
        operationId: 'detail-pegawai',
        summary: 'One civil servant by NIP',
        parameters: [nip],
        responses: { '200': { description: 'the civil servant', content: { 'application/json': { schema: pegawai } } }, '404': { description: 'unknown NIP' } },
      },
    },
    '/api/v1/pegawai/{nip}/kinerja': {
      get: {
        operationId: 'kinerja-pegawai',
        summary: "A civil servant's performance score for a year",
        parameters: [nip, { name: 'tahun', in: 'query', schema: { type: 'integer' } }],
        responses: { '200': { description: 'the score', content: { 'application/json': { schema: { type: 'object', required: ['nip', 'tahun', 'nilai'], properties: { nip: { type: 'string' }, tahun: { type: 'integer' }, nilai: { type: 'number' }, predikat: { type: 'string' } } } } } } },
      },
    },
    '/api/v1/sasaran-kinerja': {
      post: {
        operationId: 'ajukan-sasaran-kinerja',
        summary: 'Submit a performance target (SKP)',
        'x-penghubung-emits': 'kinerja.sasaran.diajukan',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['nip', 'sasaran', 'target'],
                properties: { nip: { type: 'string', pattern: '^\\d{18}$' }, tahun: { type: 'integer' }, sasaran: { type: 'string', minLength: 5 }, indikator: { type: 'string' }, target: { type: 'number' }, satuan: { type: 'string' } },
              },
            },
          },
        },
        responses: { '201': { description: 'submitted', content: { 'application/json': { schema: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, nip: { type: 'string' }, status: { type: 'string' } } } } } } },
      },
    },
    '/api/v1/kehadiran/rekap': {
      post: {
        operationId: 'rekap-kehadiran',
        summary: "A month's attendance of one civil servant (XML in and out)",
        requestBody: { required: true, content: { 'application/xml': { schema: { type: 'object', required: ['permintaan'] } } } },
        responses: { '200': { description: 'the attendance', content: { 'application/xml': { schema: { type: 'object', required: ['rekap'] } } } } },
      },
    },
  },
};

export function ekinerjaServiceInput(baseUrl: string, apiKey = SANDBOX_API_KEY): ServiceInput {
  return {
    id: EKINERJA_ID,
    title: 'e-Kinerja BKPSDM (example)',
    description: 'Example OPD service of the sandbox: performance of civil servants (simulated; not a real system).',
    baseUrl,
    openapi: ekinerjaOpenApi,
    auth: { type: 'api-key', header: 'X-Api-Key', value: apiKey },
    classification: {
      '/items/*/nip': 'publik',
      '/items/*/nama': 'terbatas',
      '/items/*/jabatan': 'publik',
      '/items/*/unit_kerja': 'publik',
      '/total': 'publik',
      '/nip': 'publik',
      '/nama': 'terbatas',
      '/jabatan': 'publik',
      '/unit_kerja': 'publik',
      '/tahun': 'publik',
      '/nilai': 'terbatas',
      '/predikat': 'terbatas',
      '/id': 'publik',
      '/status': 'publik',
      '/sasaran': 'terbatas',
      '/indikator': 'terbatas',
      '/target': 'terbatas',
      '/satuan': 'publik',
      '/diajukan_pada': 'publik',
      '/rekap/nip': 'publik',
      '/rekap/nama': 'terbatas',
      '/rekap/bulan': 'publik',
      '/rekap/hadir': 'terbatas',
      '/rekap/izin': 'terbatas',
      '/rekap/alpa': 'terbatas',
    },
    timeoutMs: 2000,
    rateLimitPerMinute: 600,
  };
}
