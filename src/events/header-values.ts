// Event attributes travel as transport headers (Kafka ce_* headers): a header cannot carry
// control characters, so an attribute that holds one can never be delivered.

/** True when `text` holds a C0 control character or DEL (CR and LF included). */
export function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
