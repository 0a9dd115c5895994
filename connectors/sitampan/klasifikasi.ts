// Archive classification codes (Permendagri 83/2022) as the mapping checks them. The hub's
// validator is src/domain/klasifikasi-arsip.ts (the `klasifikasi-arsip` ajv format of
// naskah-dinas.v1); the SDK does not export it, and a connector imports nothing but the SDK, so
// the mapping carries this copy of the same rules to refuse a bad code with a clear message
// before schema validation. sitampan.test.ts checks that both agree.

const KELAS = new Set(['000', '100', '200', '300', '400', '500', '600', '700', '800', '900']);

/** Null when `code` is a valid code (`000`, `000.1` … `000.1.2.3.4`), else the reason. */
export function klasifikasiProblem(code: string): string | null {
  if (code.length > 15) return 'longer than any code';
  const match = /^([0-9]{3})((?:\.[0-9]{1,2})*)$/.exec(code);
  if (!match) return 'not a three-digit class followed by dotted levels of 1-2 digits';
  if (!KELAS.has(match[1]!)) return `${match[1]} is not a primary class of Permendagri 83/2022 (000, 100, …, 900)`;
  const levels = match[2] ? match[2].slice(1).split('.') : [];
  if (levels.length > 4) return 'more than four levels below the class';
  if (levels.some((level) => level.startsWith('0'))) return 'a level that is 0 or has a leading zero';
  return null;
}
