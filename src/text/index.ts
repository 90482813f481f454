/** Every rule about words: de-obfuscation, search normalisation, HTML, boilerplate, headlines. */
export { collapseBlankLines } from './collapse-blank-lines.js';
export { escapeHtml, htmlToText } from './html-to-text.js';
export { makeHeadline } from './make-headline.js';
export { normalizeForSearch, searchTokens } from './normalize-for-search.js';
export { restoreBrokenWords } from './restore-broken-words.js';
export { stripBoilerplate, type StripBoilerplateOptions } from './strip-boilerplate.js';
export { startsRightToLeft } from './direction.js';
