// Reading SIPD values whatever form they come in: keys in any casing (`kode_skpd`, `kodeSkpd`,
// `KODE_SKPD`, `kodeskpd`), ids as JSON numbers above 2^53, money as numbers or Indonesian
// strings, names with the code written in front. A value that cannot be read rejects its record
// (RecordRejected with a stable reason), never the page. Pure functions, no I/O.
import { parseRupiah, pick, present, RecordRejected, scalar, UpstreamError, type Doc } from '../../src/connectors/sdk.js';

export interface Uang {
  nilai: number;
  perkiraan: boolean;
}

/** Trimmed text with whitespace runs collapsed, or undefined when empty or a placeholder. */
export const text = present;

/** An answer that is not a page at all (the envelope, not one record). */
export const bad = (detail: string): UpstreamError => new UpstreamError('upstream-bad-response', detail);

/** One record that cannot be mapped; `reason` is a metric label, keep it to the few used here. */
export const reject = (reason: 'field-missing' | 'code-invalid' | 'code-mismatch' | 'money-unreadable' | 'year-invalid' | 'volume-unreadable' | 'record-invalid', detail: string): RecordRejected =>
  new RecordRejected(reason, detail);

/** SIPD sometimes writes the code in front of the name (`1.03.10.2.01.0015 Pembangunan Jalan`). */
export function nameOf(record: Doc, keys: readonly string[], kode: string): string | undefined {
  const nama = text(pick(record, keys));
  if (nama === undefined) return undefined;
  const stripped = nama.startsWith(`${kode} `) ? nama.slice(kode.length + 1).trim() : nama;
  return stripped || undefined;
}

export function money(value: unknown, what: string, where: string): Uang {
  if (value === undefined) throw reject('field-missing', `${where} has no ${what}`);
  const parsed = parseRupiah(value);
  if (parsed === undefined) throw reject('money-unreadable', `${where} has a ${what} that is not an amount of money: ${JSON.stringify((scalar(value) ?? typeof value).slice(0, 60))}`);
  return parsed;
}

// ─── codes (the shapes of src/domain/kode-anggaran.ts, which a connector cannot import) ──────

export const KODE_SKPD = /^[1-9]\.(?!00)[0-9]{2}\.(?:0\.00\.0\.00|[1-9]\.(?!00)[0-9]{2}\.(?:0\.00|[1-9]\.(?!00)[0-9]{2}))\.(?!00)[0-9]{2}\.[0-9]{4}$/;
export const KODE_SUB_KEGIATAN = /^([1-9])\.((?!00)[0-9]{2})\.((?!00)[0-9]{2})\.([1-9])\.((?!00)[0-9]{2})\.((?!0000)[0-9]{4}|(?!00)[0-9]{2})$/;

export type TingkatRekening = 'akun' | 'kelompok' | 'jenis' | 'objek' | 'rincian-objek' | 'sub-rincian-objek';
const TINGKAT: readonly TingkatRekening[] = ['akun', 'kelompok', 'jenis', 'objek', 'rincian-objek', 'sub-rincian-objek'];
const REKENING_WIDTHS = [1, 1, 2, 2, 2, 4];

export function tingkatRekening(kode: string): TingkatRekening | undefined {
  if (!/^[0-9]+(\.[0-9]+)*$/.test(kode)) return undefined;
  const segments = kode.split('.');
  if (segments.length > 6) return undefined;
  const fits = segments.every((segment, i) => segment.length === REKENING_WIDTHS[i] && /[1-9]/.test(segment));
  return fits ? TINGKAT[segments.length - 1] : undefined;
}
