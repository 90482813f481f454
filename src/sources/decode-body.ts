import { isUtf8 } from 'node:buffer';

/** How far into the body a declared encoding is looked for; declarations belong near the top. */
const sniffLength = 4096;

/** Characters XML 1.0 forbids; feeds that leak them would otherwise be rejected by the parser. */
const illegalXmlControlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/**
 * Turns a fetched body into text, picking the encoding the way browsers and feed readers do:
 * a byte order mark first (UTF-8, UTF-16 LE/BE), then the HTTP `charset`, then the document's own
 * declaration (XML prolog `encoding=`, HTML `<meta charset>` or `http-equiv` content), then UTF-8.
 *
 * A body that is valid UTF-8 and contains non-ASCII bytes is read as UTF-8 even when a legacy
 * encoding is declared: such bytes are almost never legitimate legacy text, while a wrong
 * declaration left over by a CMS migration is common. Legacy encodings (windows-1256, ISO-8859-6,
 * ...) are decoded by the runtime's ICU. Characters illegal in XML are dropped.
 */
export function decodeBody(body: Buffer, contentType: string | null): string {
  return decodeWithDetectedEncoding(body, contentType).replace(illegalXmlControlCharacters, '');
}

function decodeWithDetectedEncoding(body: Buffer, contentType: string | null): string {
  const fromBom = encodingFromByteOrderMark(body);
  if (fromBom) return new TextDecoder(fromBom).decode(body);

  const httpDecoder = decoderFor(charsetFromContentType(contentType));
  // A UTF-16 body without a byte order mark is only recognisable by the header that announces it.
  if (httpDecoder?.encoding.startsWith('utf-16')) return httpDecoder.decode(body);

  let declared = httpDecoder ?? decoderFor(charsetDeclaredInDocument(body));
  // The declaration was readable as ASCII, so the body cannot really be UTF-16.
  if (declared?.encoding.startsWith('utf-16')) declared = null;

  if (declared && declared.encoding !== 'utf-8' && !(isUtf8(body) && hasNonAscii(body))) {
    return declared.decode(body);
  }
  return new TextDecoder('utf-8').decode(body);
}

function encodingFromByteOrderMark(body: Buffer): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return null;
}

/** A decoder for a charset label, or `null` when the label is missing or unknown to the runtime. */
function decoderFor(label: string | null): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

function charsetFromContentType(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

function charsetDeclaredInDocument(body: Buffer): string | null {
  // latin1 maps each byte to one character, so ASCII declarations read right whatever the encoding.
  const head = body.subarray(0, sniffLength).toString('latin1');
  // Tag patterns stop at `<` and `>` and are never lazy, so a head full of `<meta` costs one pass.
  const xmlDeclaration = /^\s*<\?xml\s[^<>]*/i.exec(head);
  if (xmlDeclaration) {
    const encoding = /\bencoding\s*=\s*["']([^"'<>]+)["']/i.exec(xmlDeclaration[0]);
    if (encoding) return encoding[1] ?? null;
  }
  for (const [tag] of head.matchAll(/<meta\s[^<>]*/gi)) {
    const charset = /charset\s*=\s*["']?\s*([^"'\s/<>;]+)/i.exec(tag);
    if (charset) return charset[1] ?? null;
  }
  return null;
}

function hasNonAscii(body: Buffer): boolean {
  return body.some((byte) => byte > 0x7f);
}
