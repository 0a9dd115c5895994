// Money fields as upstreams send them: JSON numbers (`15602948688.00`, LosslessNumbers),
// Indonesian text (`Rp. 15.602.948.688,00`), abbreviations (`15,9 M`, `Rp 1,2 M`, `750 Jt`,
// approximate) and sentences that say there is no amount yet ("Belum ada nilai kontrak").
import { parseRupiah, type Rupiah } from '../domain/rupiah.js';
import { isLossless, present, scalar } from './fields.js';
import { RecordRejected } from './record-rejected.js';

/** Text that says "no amount (yet)" rather than giving one: no digit, and words of absence. */
const NO_AMOUNT = /^[^0-9]*\b(?:belum|tidak ada|tanpa|kosong|nihil|none|n\/a)\b[^0-9]*$/i;

/**
 * An amount of money → whole rupiah (`perkiraan` true for abbreviations). undefined when absent,
 * a placeholder, or a sentence saying there is none yet; throws RecordRejected
 * `money-unreadable` for anything else that is not money.
 */
export function moneyOf(value: unknown, field: string): Rupiah | undefined {
  if (typeof value === 'number' || isLossless(value)) {
    const number = Number(scalar(value));
    if (Number.isFinite(number) && number >= 0 && number <= Number.MAX_SAFE_INTEGER) return { nilai: Math.round(number), perkiraan: false };
    throw new RecordRejected('money-unreadable', `${field} is not an amount of money`);
  }
  const text = present(value);
  if (text === undefined || NO_AMOUNT.test(text)) return undefined;
  const parsed = parseRupiah(text);
  if (!parsed || !Number.isSafeInteger(parsed.nilai)) throw new RecordRejected('money-unreadable', `${field} is not an amount of money`);
  return parsed;
}
