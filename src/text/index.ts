/** Every rule about words: de-obfuscation, search normalisation and stemming, HTML, boilerplate, headlines, summaries, display text. */
export { collapseBlankLines } from './collapse-blank-lines.js';
export { cleanDisplayText, cutText, displayUrl } from './display-text.js';
export { escapeHtml, htmlToText } from './html-to-text.js';
export { indexTokens, MAX_INDEX_TOKENS, queryTerm, textRulesVersion, type QueryTerm } from './index-tokens.js';
export { learnSignatures } from './learn-signatures.js';
export { makeHeadline } from './make-headline.js';
export { makeSummary, type MakeSummaryOptions } from './make-summary.js';
export { normalizeForSearch, searchTokens } from './normalize-for-search.js';
export { restoreBrokenWords } from './restore-broken-words.js';
export { stemWord } from './stem-word.js';
export { stripBoilerplate, type StripBoilerplateOptions } from './strip-boilerplate.js';
export { startsRightToLeft, type StartsRightToLeftOptions } from './direction.js';
