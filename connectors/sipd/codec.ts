// SIPD's payload obfuscation. Some SIPD-RI endpoints (`/api/renja/sub_bl/list_skpd` among them)
// answer `{"data": "<encoded>"}` where the browser client decodes with
//   JSON.parse(reverse(atob(reverse(atob(data)))))
// i.e. base64 → reverse the string → base64 → reverse → JSON. Encoding is the mirror image:
// JSON → reverse → base64 → reverse → base64. The innermost layer is bytes (UTF-8 here); the
// middle one is base64 text, so reversing characters and reversing bytes are the same there.

/** A payload that is not what SIPD's encoding produces. */
export class PayloadDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecodeError';
  }
}

// Node's base64 decoder skips characters it does not know; SIPD's payload must not be guessed at.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function strictBase64(text: string, layer: string): Buffer {
  // Line breaks are tolerated (some proxies wrap long strings); anything else is refused.
  const compact = text.replace(/[\r\n]/g, '');
  if (compact === '') throw new PayloadDecodeError(`the ${layer} is empty`);
  if (!BASE64.test(compact)) throw new PayloadDecodeError(`the ${layer} is not base64`);
  return Buffer.from(compact, 'base64');
}

const reverseText = (text: string): string => [...text].reverse().join('');

/** The JSON text inside a SIPD payload; throws PayloadDecodeError when it does not decode. */
export function decodeSipdPayload(encoded: string): string {
  const outer = strictBase64(encoded, 'payload');
  // The outer layer holds base64 text: anything outside ASCII means a different encoding.
  if (outer.some((byte) => byte > 0x7f)) throw new PayloadDecodeError('the outer layer does not hold base64 text');
  const inner = strictBase64(reverseText(outer.toString('latin1')), 'reversed inner layer');
  try {
    return utf8.decode(Buffer.from(inner).reverse());
  } catch {
    throw new PayloadDecodeError('the innermost layer is not UTF-8 text');
  }
}

/** Encodes JSON text the way SIPD does (the simulator's side of decodeSipdPayload). */
export function encodeSipdPayload(json: string): string {
  const inner = Buffer.from(json, 'utf8').reverse().toString('base64');
  return Buffer.from(reverseText(inner), 'latin1').toString('base64');
}
