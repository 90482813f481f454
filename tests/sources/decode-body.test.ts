import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/sources/decode-body.js';
import { readFeedFixture } from './local-http-server.js';

/** windows-1256 bytes of a few Arabic letters; Node can decode this encoding but not encode it. */
const windows1256 = { alef: 0xc7, lam: 0xe1, ba: 0xc8, ya: 0xed, taMarbuta: 0xc9 };

describe('decodeBody', () => {
  it('reads a windows-1256 feed by its XML declaration', () => {
    const text = decodeBody(readFeedFixture('windows-1256.xml'), 'application/rss+xml');
    expect(text).toContain('<title>خبر عاجل من القاهرة</title>');
  });

  it('reads legacy bytes by the HTTP charset when the document says nothing', () => {
    const { alef, lam, ba, ya, taMarbuta } = windows1256;
    const body = Buffer.from([0x3c, 0x70, 0x3e, alef, lam, ba, ya, taMarbuta, 0x3c, 0x2f, 0x70, 0x3e]);
    expect(decodeBody(body, 'text/html; charset="windows-1256"')).toBe('<p>البية</p>');
  });

  it('lets the HTTP charset win over the document declaration', () => {
    const { alef, lam } = windows1256;
    const body = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><t>'), Buffer.from([alef, lam]), Buffer.from('</t>')]);
    expect(decodeBody(body, 'text/xml; charset=windows-1256')).toContain('<t>ال</t>');
  });

  it('reads an HTML meta charset and an http-equiv content charset', () => {
    const { ba, ya } = windows1256;
    const letters = Buffer.from([ba, ya]);
    const withMeta = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1256"></head><body>'), letters]);
    const withHttpEquiv = Buffer.concat([
      Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body>'),
      letters,
    ]);
    expect(decodeBody(withMeta, 'text/html')).toMatch(/بي$/);
    expect(decodeBody(withHttpEquiv, null)).toMatch(/بي$/);
  });

  it('prefers valid UTF-8 over a wrong legacy declaration', () => {
    const body = Buffer.from('<?xml version="1.0" encoding="windows-1256"?><t>مرحبا</t>', 'utf8');
    expect(decodeBody(body, 'text/xml; charset=windows-1256')).toContain('<t>مرحبا</t>');
  });

  it('reads UTF-16 LE and BE with a byte order mark', () => {
    const little = readFeedFixture('utf16-le-bom.xml');
    expect(decodeBody(little, 'text/xml; charset=windows-1256')).toContain('<title>مرحبا بالعالم</title>');

    const big = Buffer.from(little).swap16();
    expect(big.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
    expect(decodeBody(big, null)).toContain('<title>مرحبا بالعالم</title>');
  });

  it('drops a UTF-8 byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss/>')]);
    expect(decodeBody(body, 'text/xml; charset=iso-8859-1')).toBe('<rss/>');
  });

  it('falls back to UTF-8 for a missing or unknown charset', () => {
    expect(decodeBody(Buffer.from('<t>نص</t>'), null)).toBe('<t>نص</t>');
    expect(decodeBody(Buffer.from('<t>نص</t>'), 'text/xml; charset=no-such-charset')).toBe('<t>نص</t>');
  });

  it('drops characters that are illegal in XML but keeps tabs and newlines', () => {
    const body = Buffer.from('<t>a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\tg\nh\r</t>');
    expect(decodeBody(body, null)).toBe('<t>abcdef\tg\nh\r</t>');
  });
});
