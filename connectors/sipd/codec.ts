// SIPD's payload obfuscation. Some SIPD-RI endpoints (`/api/renja/sub_bl/list_skpd` among them)
// answer `{"data": "<encoded>"}` where the browser client decodes with
//   JSON.parse(reverse(atob(reverse(atob(data)))))
// i.e. base64 → reverse the string → base64 → reverse → JSON. Encoding is the mirror image:
// JSON → reverse → base64 → reverse → base64. The innermost layer is bytes (UTF-8 here); the
// middle one is base64 text, so reversing characters and reversing bytes are the same there.
import { isAscii } from 'node:buffer';

/** A payload that is not what SIPD's encoding produces. */
export class PayloadDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecodeError';
  }
}

// Node's base64 decoder skips characters it does not know; SIPD's payload must not be guessed at:
// whole groups of four of the base64 alphabet, padding only at the end.
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
const PAD = 0x3d;

/**
 * Whether the text matches /^[A-Za-z0-9+/]*={0,2}$/: only the alphabet and `=`, and the `=`s one
 * or two at the end. A search for a character outside the alphabet runs at twice the speed of the
 * anchored expression on a page's few kilobytes.
 */
function isBase64(text: string): boolean {
  if (NOT_BASE64.test(text)) return false;
  const pad = text.indexOf('=');
  return pad === -1 || pad === text.length - 1 || (pad === text.length - 2 && text.charCodeAt(pad + 1) === PAD);
}
const utf8 = new TextDecoder('utf-8', { fatal: true });

function strictBase64(text: string, layer: string): Buffer {
  // Line breaks are tolerated (some proxies wrap long strings); anything else is refused.
  const compact = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, '') : text;
  if (compact === '') throw new PayloadDecodeError(`the ${layer} is empty`);
  if (compact.length % 4 !== 0 || !isBase64(compact)) throw new PayloadDecodeError(`the ${layer} is not base64`);
  return Buffer.from(compact, 'base64');
}

const reverseText = (text: string): string => [...text].reverse().join('');

/**
 * The JSON text inside a SIPD payload; throws PayloadDecodeError when it does not decode. Each
 * layer is decoded once into a Buffer and reversed in place (its bytes are ASCII, or they are the
 * innermost UTF-8 bytes, which SIPD reversed as bytes).
 */
export function decodeSipdPayload(encoded: string): string {
  const outer = strictBase64(encoded, 'payload');
  // The outer layer holds base64 text: anything outside ASCII means a different encoding.
  if (!isAscii(outer)) throw new PayloadDecodeError('the outer layer does not hold base64 text');
  const inner = strictBase64(outer.reverse().toString('latin1'), 'reversed inner layer');
  try {
    return utf8.decode(inner.reverse());
  } catch {
    throw new PayloadDecodeError('the innermost layer is not UTF-8 text');
  }
}

/** Encodes JSON text the way SIPD does (the simulator's side of decodeSipdPayload). */
export function encodeSipdPayload(json: string): string {
  const inner = Buffer.from(json, 'utf8').reverse().toString('base64');
  return Buffer.from(reverseText(inner), 'latin1').toString('base64');
}
