/**
 * The prolog of a markup document: what comes before its root element (byte order mark, XML
 * declaration, processing instructions, comments, the document type declaration). Read with a
 * single forward scan, never a regex, because a hostile body can be megabytes of `<?` or `<!--`.
 */
export interface DocumentProlog {
  /** The document type declaration, when there is one before the root element. */
  doctype: {
    /** Its root element name, lower case (`html`, `rss`, `lolz`). */
    name: string;
    /** The text between `[` and `]`, or `null` when it has none. Unterminated: the rest of the text. */
    internalSubset: string | null;
  } | null;
  /** Where the root element (or whatever is not prolog) starts. */
  rootStart: number;
}

/** Reads the prolog of `text`, in time linear in its length. */
export function readProlog(text: string): DocumentProlog {
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let doctype: DocumentProlog['doctype'] = null;
  for (;;) {
    position = skipWhitespace(text, position);
    if (text.startsWith('<?', position)) {
      position = after(text, '?>', position + 2);
    } else if (text.startsWith('<!--', position)) {
      position = after(text, '-->', position + 4);
    } else if (doctype === null && text.slice(position, position + 9).toLowerCase() === '<!doctype') {
      const read = readDoctype(text, position + 9);
      doctype = read.doctype;
      position = read.end;
    } else {
      return { doctype, rootStart: position };
    }
  }
}

/**
 * Whether the document's DTD declares entities (`<!ENTITY`, normally in the internal subset of its
 * `<!DOCTYPE … [ … ]>`). Entity declarations are how billion-laughs bombs expand and how XXE reaches
 * local files; no real feed needs them, so such a document is refused before any parser sees it.
 *
 * Parsers disagree about quotes and brackets inside a doctype, and an attacker can play on that, so
 * this does not try to find where the subset ends: any `<!ENTITY` between `<!DOCTYPE` and the first
 * element tag counts. Comments and processing instructions are stepped over whole (either could hide
 * a `<tag` that would end the look early). One forward pass.
 */
export function declaresEntities(text: string): boolean {
  let position = doctypeStart(text);
  if (position < 0) return false;
  while (position < text.length) {
    const next = text.indexOf('<', position);
    if (next < 0) return false;
    if (text.startsWith('<!--', next)) {
      position = after(text, '-->', next + 4);
    } else if (text.startsWith('<?', next)) {
      position = after(text, '?>', next + 2);
    } else if (text.slice(next, next + 8).toUpperCase() === '<!ENTITY') {
      return true;
    } else if (isNameStart(text.charCodeAt(next + 1))) {
      return false;
    } else {
      position = next + 1;
    }
  }
  return false;
}

/**
 * Where `<!DOCTYPE` starts before the first element, or -1 when there is none. Stray text before it
 * (a PHP notice, a blank line's junk) does not hide it: only an element tag ends the look.
 */
function doctypeStart(text: string): number {
  let position = 0;
  while (position < text.length) {
    const next = text.indexOf('<', position);
    if (next < 0) return -1;
    if (text.startsWith('<?', next)) {
      position = after(text, '?>', next + 2);
    } else if (text.startsWith('<!--', next)) {
      position = after(text, '-->', next + 4);
    } else if (text.slice(next, next + 9).toLowerCase() === '<!doctype') {
      return next;
    } else if (isNameStart(text.charCodeAt(next + 1))) {
      return -1;
    } else {
      position = next + 1;
    }
  }
  return -1;
}

/** The first character of an XML name: a letter, `_`, `:` or anything beyond ASCII. */
function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x3a || code > 0x7f;
}

/**
 * Whether the document is an HTML page: its doctype names `html`, or its root element is `<html>`.
 * (A page can mention `<rss` or `<feed` in its text and fool feed format detection.)
 */
export function looksLikeHtmlPage(text: string): boolean {
  const { doctype, rootStart } = readProlog(text);
  if (doctype?.name === 'html') return true;
  return /^<html[\s>]/i.test(text.slice(rootStart, rootStart + 6));
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function skipWhitespace(text: string, from: number): number {
  let position = from;
  while (position < text.length && isWhitespace(text.charCodeAt(position))) position++;
  return position;
}

/** The position just after the next `token`, or the end of the text when it never comes. */
function after(text: string, token: string, from: number): number {
  const found = text.indexOf(token, from);
  return found < 0 ? text.length : found + token.length;
}

/**
 * Reads `<!DOCTYPE name PUBLIC "…" "…" [ subset ]>` from just after `<!DOCTYPE`. Quoted literals
 * (which may hold `>` or `]`) and comments are stepped over as wholes, so each character is looked
 * at once.
 */
function readDoctype(text: string, from: number): { doctype: NonNullable<DocumentProlog['doctype']>; end: number } {
  let position = skipWhitespace(text, from);
  const nameStart = position;
  while (position < text.length) {
    const char = text[position];
    if (char === '>' || char === '[' || isWhitespace(text.charCodeAt(position))) break;
    position++;
  }
  const name = text.slice(nameStart, position).toLowerCase();

  let internalSubset: string | null = null;
  while (position < text.length) {
    const char = text[position];
    if (char === '"' || char === "'") {
      position = after(text, char, position + 1);
    } else if (char === '>') {
      return { doctype: { name, internalSubset }, end: position + 1 };
    } else if (char === '[' && internalSubset === null) {
      const subsetEnd = endOfInternalSubset(text, position + 1);
      internalSubset = text.slice(position + 1, subsetEnd);
      position = subsetEnd + 1;
    } else {
      position++;
    }
  }
  return { doctype: { name, internalSubset }, end: text.length };
}

/** The position of the `]` closing an internal subset that starts at `from` (or the end of the text). */
function endOfInternalSubset(text: string, from: number): number {
  let position = from;
  while (position < text.length) {
    const char = text[position];
    if (char === ']') return position;
    if (char === '"' || char === "'") {
      position = after(text, char, position + 1);
    } else if (text.startsWith('<!--', position)) {
      position = after(text, '-->', position + 4);
    } else {
      position++;
    }
  }
  return text.length;
}
