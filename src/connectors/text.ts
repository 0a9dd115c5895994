// HTML (from editors and web forms) to plain text, for connectors whose upstreams put HTML in
// text fields (LAPOR! complaints, SITAMPAN letter summaries). Shared through the SDK.
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·',
  deg: '°', copy: '©', reg: '®', trade: '™', times: '×', divide: '÷', plusmn: '±', sup2: '²', frac12: '½',
  eacute: 'é', egrave: 'è', agrave: 'à', uuml: 'ü', ouml: 'ö', auml: 'ä', ccedil: 'ç', shy: '',
  zwj: '', zwnj: '', ensp: ' ', emsp: ' ', thinsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const TAG = /<\/?[A-Za-z][^<>]*>/;
// What dropBetween looks for in the lower-cased text, asked of the text as it is: `<span` (every
// SPSE label) need not lower-case the text twice.
const MAY_OPEN_SCRIPT_OR_STYLE = /<s(?:cript|tyle)/i;
const BLOCK_TAGS = /<\/?(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|pre|hr)\b[^<>]*>/gi;

/**
 * Removes `<script>…</script>`, `<style>…</style>` and `<!-- … -->` with indexOf, not a lazy
 * regex, which is quadratic over many unclosed openers.
 */
function dropBetween(text: string, open: RegExp, close: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let from = 0;
  for (;;) {
    open.lastIndex = from;
    const start = open.exec(lower)?.index;
    if (start === undefined) break;
    const stop = lower.indexOf(close, start);
    if (stop < 0) break;
    out += text.slice(from, start);
    const end = close === '-->' ? stop + 3 : lower.indexOf('>', stop);
    from = end < 0 ? text.length : close === '-->' ? end : end + 1;
  }
  return out + text.slice(from);
}

/** One pass: tags out (line-breaking ones become newlines; a list item gets a bullet), entities decoded. */
function stripHtmlOnce(input: string): string {
  let text = input;
  const isHtml = TAG.test(text) || /<br\s*\/?>/i.test(text);
  // In HTML a source line break is plain whitespace; in plain text it is a line break.
  if (isHtml) text = text.replace(/[\r\n]+/g, ' ');
  // Lower-casing the text to look for these costs more than checking first that they may be there.
  if (text.includes('<!--')) text = dropBetween(text, /<!--/g, '-->');
  if (MAY_OPEN_SCRIPT_OR_STYLE.test(text)) {
    text = dropBetween(text, /<script(?![a-z])/g, '</script');
    text = dropBetween(text, /<style(?![a-z])/g, '</style');
  }
  text = text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^<>]*>/gi, '\n- ')
    .replace(BLOCK_TAGS, '\n')
    .replace(/<\/?[A-Za-z][^<>]*>/g, '');
  return decodeEntities(text);
}

const mayHoldMarkup = (text: string): boolean => text.includes('<') || text.includes('&');

/**
 * What makes plainText do more than trim: a tag or entity, a line break or control character,
 * whitespace other than one plain space. Most cells (names, codes, dates) have none of it.
 */
// eslint-disable-next-line no-control-regex -- control characters are part of what needs work
const NEEDS_WORK = /[<&\u0000-\u001F\u007F]|[^\S ]| {2}/;

/** One line of plain text: whitespace collapsed, trimmed, a lone `-` dropped like a blank line. */
function tidyLine(line: string): string {
  const text = line.replace(/\s+/g, ' ').trim();
  return text === '-' ? '' : text;
}

/** plainText of one line of plain words and single spaces: trimmed, a lone `-` dropped like a blank line. */
function tidyOneLine(input: string): string {
  const text = input.trim();
  return text === '-' ? '' : text;
}

/**
 * HTML (or plain text) → plain text: tags stripped, `<br>` and block tags as line breaks, list
 * items as `- ` lines, entities decoded (also double-encoded ones like `&amp;nbsp;`), whitespace
 * collapsed within each line, blank lines dropped, control characters removed. Plain text goes
 * through unchanged but for whitespace.
 */
export function plainText(input: string): string {
  if (!NEEDS_WORK.test(input)) return tidyOneLine(input);
  let text = input.replace(/\r\n?/g, '\n');
  // Without `<` or `&` there is neither a tag nor an entity: a pass would change nothing.
  for (let pass = 0; pass < 3 && mayHoldMarkup(text); pass += 1) {
    const next = stripHtmlOnce(text);
    if (next === text) break;
    text = next;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  text = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
  text = text.includes('\n') ? text.split('\n').map(tidyLine).filter((line) => line !== '').join('\n') : tidyLine(text);
  // What is still tag- or entity-shaped is literal text ("a<b", "R&D;"): keep it readable but inert.
  if (!mayHoldMarkup(text)) return text;
  return text.replace(/<(?=[A-Za-z/!?])/g, '< ').replace(/&(?=(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);)/g, '& ');
}

/** Plain text on one line (subjects, names, positions). */
export const oneLine = (input: string): string => {
  const text = plainText(input);
  return text.includes('\n') ? text.replace(/\n/g, ' ') : text;
};
