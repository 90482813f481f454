import { describe, expect, it } from 'vitest';

import { escapeHtml, htmlToText } from '../../src/text/html-to-text.js';
import { seedTitle } from './seed-article.js';

describe('htmlToText', () => {
  it('puts paragraphs on their own lines with one blank line between them', () => {
    expect(htmlToText('<p>الأول</p><p>الثاني</p>')).toBe('الأول\n\nالثاني');
  });

  it('turns br into a line break', () => {
    expect(htmlToText('سطر<br>سطر<br/>سطر<BR />آخر')).toBe('سطر\nسطر\nسطر\nآخر');
  });

  it('puts list items on consecutive lines', () => {
    expect(htmlToText('<ul><li>أ</li><li>ب</li></ul><p>بعد</p>')).toBe('أ\nب\n\nبعد');
  });

  it('separates headings, quotes, figures and captions from the text around them', () => {
    const html =
      '<h2>عنوان</h2>نص<blockquote>اقتباس</blockquote><figure><img src="a.jpg"><figcaption>تعليق</figcaption></figure><div>خاتمة</div>';
    expect(htmlToText(html)).toBe('عنوان\n\nنص\n\nاقتباس\n\nتعليق\n\nخاتمة');
  });

  it('puts table rows on lines and cells side by side', () => {
    expect(htmlToText('<table><tr><td>أ</td><td>ب</td></tr><tr><th>ج</th><td>د</td></tr></table>')).toBe(
      'أ ب\nج د',
    );
  });

  it('removes inline tags without adding spaces inside words', () => {
    expect(htmlToText('قال <b>المركز</b> <a href="https://x.y/?a=1&amp;b=2">الروسي</a> كل<i>مة</i>')).toBe(
      'قال المركز الروسي كلمة',
    );
  });

  it('removes a tag whose quoted attribute contains ">"', () => {
    expect(htmlToText('<a title="a > b" data-x=\'<p>\'>نص</a>')).toBe('نص');
  });

  it('drops scripts, styles and comments with their content', () => {
    const html =
      '<p>قبل</p><script type="text/javascript">var s = "<p>لا</p>";</script><style>p { color: red }</style><!-- <p>تعليق</p> --><p>بعد</p>';
    expect(htmlToText(html)).toBe('قبل\n\nبعد');
  });

  it('drops an unclosed script or comment to the end', () => {
    expect(htmlToText('نص<script>alert(1)')).toBe('نص');
    expect(htmlToText('نص<!-- بلا نهاية')).toBe('نص');
  });

  it('unwraps CDATA sections', () => {
    expect(htmlToText('<![CDATA[<p>نص &amp; آخر</p>]]>')).toBe('نص & آخر');
  });

  it('decodes named, decimal and hex entities exactly once', () => {
    expect(htmlToText('AT&amp;T &amp;amp; &quot;x&quot; &#1582;&#x633;&#1575;&#x626;&#x631; &copy;')).toBe(
      'AT&T &amp; "x" خسائر ©',
    );
  });

  it('keeps escaped markup as text instead of removing it', () => {
    expect(htmlToText('&lt;b&gt;ليس وسماً&lt;/b&gt;')).toBe('<b>ليس وسماً</b>');
  });

  it('turns non-breaking spaces into plain spaces and collapses runs of spaces and tabs', () => {
    expect(htmlToText('كلمة&nbsp;&nbsp;أخرى \t  ثالثة')).toBe('كلمة أخرى ثالثة');
  });

  it('trims lines and never leaves more than one blank line in a row', () => {
    expect(htmlToText('<p>  أ  </p><br><br><br><div><div></div></div><p>\tب </p>')).toBe('أ\n\nب');
  });

  it('treats source line breaks inside structured HTML as spaces', () => {
    expect(htmlToText('<p>سطر طويل\nملفوف في المصدر</p>')).toBe('سطر طويل ملفوف في المصدر');
  });

  it('keeps the line breaks of a plain-text description', () => {
    expect(htmlToText('الأول\r\n\r\n\r\nالثاني\nالثالث')).toBe('الأول\n\nالثاني\nالثالث');
  });

  it('drops doctype and processing instructions', () => {
    expect(htmlToText('<?xml version="1.0"?><!DOCTYPE html><p>نص</p>')).toBe('نص');
  });

  it('leaves a lone "<" that does not open a tag', () => {
    expect(htmlToText('3 < 5 و 7 > 6')).toBe('3 < 5 و 7 > 6');
  });

  it('does not restore broken words, which is a separate rule', () => {
    expect(htmlToText('<p>خـ.ـسائر</p>')).toBe('خـ.ـسائر');
  });

  it('returns an empty string for markup without text', () => {
    expect(htmlToText('<p> </p><br><img src="x.png">')).toBe('');
    expect(htmlToText('')).toBe('');
  });
});

describe('escapeHtml', () => {
  it('escapes the four characters Telegram HTML parse mode reserves', () => {
    expect(escapeHtml('<b>"A & B"</b>')).toBe('&lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt;');
  });

  it('leaves apostrophes and Arabic text as they are', () => {
    expect(escapeHtml("it's “بيان من الدفاع”")).toBe("it's “بيان من الدفاع”");
  });

  it('escapes an existing entity again, because its input is text, not HTML', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('round-trips through htmlToText', () => {
    const text = 'AT&T <ليس وسماً> "اقتباس" ' + seedTitle;
    expect(htmlToText(escapeHtml(text))).toBe(text);
  });
});
