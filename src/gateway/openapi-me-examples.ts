// Examples of the self-service answers (GET /v1/me…), as an app cleared `publik` sees them.
export const meExamples = {
  me: {
    id: 'aplikasi-opd-demo', name: 'Aplikasi OPD demo', opd: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran', role: 'app', clearance: 'publik',
    rights: ['catalog:read', 'events:publish:pengaduan.tindak-lanjut.dibuat', 'subscriptions:manage'], granted_rights: ['layanan:contoh-layanan:cek-izin'],
    rate_limit: { per_minute: 600, remaining: 599 }, sources: ['/opd/dinas-pupr'], units: [],
  },
  subscriptions: {
    subscriptions: [{
      id: 'sub_5b1f0c6e-8d2a-4f3b-9c7e-1a2b3c4d5e6f', client_id: 'aplikasi-opd-demo', types: ['pengaduan.diterima'], filter: {}, url: 'https://aplikasi.opd.example/webhook', status: 'active', paused_reason: null, created_at: '2026-12-01T08:00:00.000Z',
      health: { state: 'failing', dead_letters: 1, last_error: 'HTTP 500', last_attempt_at: '2026-12-01T09:15:00.000Z', last_outcome: 'failed', last_http_status: 500 },
    }],
  },
  deadLetters: {
    items: [{
      id: 'penghubung.lapor.kirim-tindak-lanjut.dlq:0:12', event_id: 'tl-2026-0001', type: 'pengaduan.tindak-lanjut.dibuat', connector: 'lapor', operation: 'kirim-tindak-lanjut',
      code: 'upstream-unavailable', reason: 'LAPOR! answered 503', attempts: 5, failed_at: '2026-12-01T09:20:00.000Z', status: 'parked', resolved_at: null, resolution: null,
      event: { specversion: '1.0', id: 'tl-2026-0001', source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: 'lapor-1234567', penghubungclient: 'aplikasi-opd-demo', data: { pengaduan_id: 'lapor-1234567', isi: '••••', status_baru: 'diproses', petugas: { nama: 'P. P.' } } },
    }],
    next: null,
  },
  deliveries: {
    items: [{
      event_id: 'tl-2026-0002', source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: 'lapor-1234567', status: 'dead-lettered',
      accepted_at: '2026-12-01T09:19:00.000Z', published_at: '2026-12-01T09:19:00.004Z', updated_at: '2026-12-01T09:20:00.000Z',
      targets: [{ kind: 'upstream', connector: 'lapor', operation: 'kirim-tindak-lanjut', status: 'dead-lettered', attempts: 5, code: 'upstream-unavailable', reason: 'LAPOR! answered 503', at: '2026-12-01T09:20:00.000Z' }],
      event: { specversion: '1.0', id: 'tl-2026-0002', source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: 'lapor-1234567', penghubungclient: 'aplikasi-opd-demo', data: { pengaduan_id: 'lapor-1234567', isi: '••••', status_baru: 'diproses', petugas: { nama: 'P. P.' } } },
    }, {
      event_id: 'tl-2026-0001', source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: 'lapor-1234567', status: 'delivered',
      accepted_at: '2026-12-01T08:00:00.000Z', published_at: '2026-12-01T08:00:00.003Z', updated_at: '2026-12-01T08:00:01.000Z',
      targets: [
        { kind: 'upstream', connector: 'lapor', operation: 'kirim-tindak-lanjut', status: 'delivered', attempts: 1, code: null, reason: null, at: '2026-12-01T08:00:00.800Z' },
        { kind: 'webhook', subscription: 'sub_5b1f0c6e-8d2a-4f3b-9c7e-1a2b3c4d5e6f', status: 'delivered', attempts: 1, code: null, reason: null, at: '2026-12-01T08:00:01.000Z' },
      ],
      event: { specversion: '1.0', id: 'tl-2026-0001', source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: 'lapor-1234567', penghubungclient: 'aplikasi-opd-demo', data: { pengaduan_id: 'lapor-1234567', isi: '••••', status_baru: 'diproses', petugas: { nama: 'P. P.' } } },
    }],
    next: 'azE6WyIyMDI2LTEyLTAxVDA4OjAwOjAwLjAwMFoiLCJZcTN4SjBsTm44bVo4VzBicXZHMmNGMWhUNGtSN3BMcyJd',
  },
};
