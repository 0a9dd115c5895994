// Indonesian money as upstreams write it, to exact whole rupiah: `Rp. 15.602.948.688,00`,
// `Rp15.602.948.688`, `15602948688.00`, plain numbers, and the abbreviations of reports and
// announcements (`15,9 M`, `750 Jt`, `1,2 T`), which are marked approximate.

export interface Rupiah {
  /** Whole rupiah. Sen are rounded half up (they are always ,00 in practice). */
  nilai: number;
  /** True when the source abbreviated the amount (M, Jt, T, rb), so the digits are not all known. */
  perkiraan: boolean;
}

const multipliers: Record<string, number> = {
  rb: 1e3, ribu: 1e3, k: 1e3,
  jt: 1e6, juta: 1e6,
  m: 1e9, miliar: 1e9, milyar: 1e9, b: 1e9,
  t: 1e12, triliun: 1e12,
};

/** undefined when the text is not an amount of money. */
export function parseRupiah(value: unknown): Rupiah | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? { nilai: Math.round(value), perkiraan: false } : undefined;
  if (typeof value === 'bigint') return value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER) ? { nilai: Number(value), perkiraan: false } : undefined;
  if (typeof value !== 'string' && !(value && typeof value === 'object' && 'isLosslessNumber' in value)) return undefined;
  const text = String(value).trim().toLowerCase().replace(/\s+/g, ' ').replace(/^(?:rp|idr)\.?\s*/, '').replace(/[,.]-$/, '').replace(/\s*rupiah$/, '');
  const abbreviated = /^(\d+(?:[.,]\d+)?)\s*(rb|ribu|k|jt|juta|m|miliar|milyar|b|t|triliun)\.?$/.exec(text);
  if (abbreviated) {
    const amount = Number(abbreviated[1]!.replace(',', '.'));
    return { nilai: Math.round(amount * multipliers[abbreviated[2]!]!), perkiraan: true };
  }
  const exact = parseExact(text);
  return exact === undefined || exact > Number.MAX_SAFE_INTEGER ? undefined : { nilai: exact, perkiraan: false };
}

/** `15.602.948.688,00` (Indonesian), `15,602,948,688.00` (English), `15602948688.00`, `15602948688`. */
function parseExact(text: string): number | undefined {
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(text) || /^\d+,\d{1,2}$/.test(text)) return Math.round(Number(text.replaceAll('.', '').replace(',', '.')));
  if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(text)) return Math.round(Number(text.replaceAll(',', '')));
  if (/^\d+(\.\d{1,2})?$/.test(text)) return Math.round(Number(text));
  return undefined;
}
