/**
 * A light stemmer: it takes the clitics and inflections off a word so that `بخسائرها` and
 * `خسائر` meet in the index, and never extracts a root (Snowball's Arabic stemmer turns `وزارة`
 * into `زار`, "he visited", which would match the wrong articles).
 */

import { stemmer as porterStemmer } from 'stemmer';

/**
 * Longer words are not language (a run of letters from a hostile feed): they are left whole, and
 * the Porter stemmer, whose regexes use lazy quantifiers, never sees them.
 */
export const MAX_STEMMED_LENGTH = 64;

// The article, alone or after a conjunction and a preposition, longest first so `وبال` wins over
// `وال`.
const ARTICLES = ['وبال', 'فبال', 'وكال', 'فكال', 'ولل', 'فلل', 'وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
// What is left after the article must still be a word: `الذي`, `التي`, `الله` keep theirs, and
// are left whole (their endings are no suffixes either).
const MIN_AFTER_ARTICLE = 3;
const ARTICLE = 'ال';

// A possessive pronoun first (`ه` stands for teh marbuta too), then plural, dual, feminine and
// relative endings, each tried once in this order (as in Larkey's light10), so `مخيماتها` loses
// `ها` and then `ات`. Words reach here normalised: `ية` is `يه` and `ة` is `ه`.
const PRONOUN_SUFFIXES = ['ها', 'هم', 'هن', 'كم', 'نا', 'ه'];
const INFLECTION_SUFFIXES = ['ات', 'ون', 'ين', 'ان', 'يه', 'ه', 'ي'];
const MIN_AFTER_SUFFIX = 3;

// A conjunction or preposition of one letter is also the first letter of many words (`وزير`,
// `فريق`, `بيان`, `بيت`), so it comes off only when the stem left without it has four letters:
// `بخسائرها` → `خسائر` and `بقواتها` → `قوات` lose theirs, `وزارات` → `وزار` and `بيتها` → `بيت`
// keep theirs (`زار`, "he visited", is another word). The same rule applies after an article, so
// a word gets the same stem bare and with `ال`.
const ONE_LETTER_PREFIXES = new Set(['و', 'ف', 'ب', 'ك', 'ل']);
const MIN_AFTER_ONE_LETTER_PREFIX = 4;
// A shorter word may still carry one (`بغزه`, `وحلب`): {@link withoutOneLetterPrefix} gives the
// index that reading as a token of its own, when three or four letters stay (a longer word kept
// its letter because a suffix came off: `كتابهم` is no `ك` + `تابهم`).
const MIN_AFTER_UNSURE_PREFIX = 3;
const MAX_AFTER_UNSURE_PREFIX = 4;

const TEH = 'ت';
const ALEF = 'ا';
const HEH = 'ه';

// Arabic letters only (after normalisation no marks, tatweel or digits are left inside an Arabic word).
const ARABIC_WORD = /^[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF]+$/;
const LATIN_WORD = /^[a-z]+$/;
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** The word after its article, or null when it has none that can come off. */
function stripArticle(word: string): string | null {
  for (const article of ARTICLES) {
    if (word.startsWith(article) && word.length - article.length >= MIN_AFTER_ARTICLE) {
      return word.slice(article.length);
    }
  }
  return null;
}

function stripPronoun(word: string): string {
  for (const suffix of PRONOUN_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_AFTER_SUFFIX) {
      const stem = word.slice(0, -suffix.length);
      // Before a pronoun, teh marbuta is written as teh: `حكومتها` is `حكومه` + `ها`. After alef
      // it is the plural `ات` (`مخيماتهم`), which the inflections take off.
      if (stem.endsWith(TEH) && stem.length > MIN_AFTER_SUFFIX && !stem.endsWith(ALEF + TEH)) {
        return stem.slice(0, -1) + HEH;
      }
      return stem;
    }
  }
  return word;
}

function stripInflections(word: string): string {
  let stem = word;
  for (const suffix of INFLECTION_SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= MIN_AFTER_SUFFIX) {
      stem = stem.slice(0, -suffix.length);
    }
  }
  return stem;
}

function stemArabic(word: string): string {
  const afterArticle = stripArticle(word);
  if (afterArticle === null && word.startsWith(ARTICLE)) return word;
  const bare = stripPronoun(afterArticle ?? word);
  if (ONE_LETTER_PREFIXES.has(bare.charAt(0))) {
    const withoutPrefix = stripInflections(bare.slice(1));
    if (withoutPrefix.length >= MIN_AFTER_ONE_LETTER_PREFIX) return withoutPrefix;
  }
  return stripInflections(bare);
}

/**
 * Porter's stemmer turns a final y into i (`convoy` → `convoi`); after a vowel the y is kept, as
 * Porter2 does, so the stem still reads as the word a reader typed (`convoys` → `convoy`).
 */
function stemEnglish(word: string): string {
  const stem = porterStemmer(word);
  const last = stem.length - 1;
  if (last > 0 && stem.charAt(last) === 'i' && word.charAt(last) === 'y' && VOWELS.has(word.charAt(last - 1))) {
    return stem.slice(0, last) + 'y';
  }
  return stem;
}

/**
 * The other reading of a short Arabic word that starts with `و ف ب ك ل`, the letter taken off as a
 * conjunction or preposition (`بغزه` → `غزه`, `وحلب` → `حلب`, `لبيان` → `بيان`), when
 * {@link stemWord} kept it because too little would be left to be sure; null when there is no
 * such reading (the stem already lost the letter, or an article came off). Input and stem as
 * `stemWord` takes and gives them.
 */
export function withoutOneLetterPrefix(word: string, stem: string): string | null {
  if (!ONE_LETTER_PREFIXES.has(word.charAt(0)) || stem.charAt(0) !== word.charAt(0)) return null;
  const left = word.length - 1;
  if (left < MIN_AFTER_UNSURE_PREFIX || left > MAX_AFTER_UNSURE_PREFIX || !ARABIC_WORD.test(word)) return null;
  if (stripArticle(word) !== null) return null;
  return word.slice(1);
}

/**
 * The light stem of one word already passed through `normalizeForSearch`: for Arabic, the article
 * (`ال وال بال كال فال لل`…), a possessive pronoun (`ها هم هن كم نا ه`), a one-letter conjunction
 * or preposition (`و ف ب ك ل`) and inflections (`ات ون ين ان يه ه ي`), each only when enough of
 * the word is left (a word that keeps an article, `الذي`, is left whole); for lowercase Latin words, English Porter stemming.
 * Anything else (numbers, other scripts, words longer than {@link MAX_STEMMED_LENGTH}) comes back
 * unchanged. `بالمخيمات` → `مخيم`, `بخسائرها` → `خسائر`, `وزاره` → `وزار`, `convoys` → `convoy`.
 */
export function stemWord(word: string): string {
  if (word.length > MAX_STEMMED_LENGTH) return word;
  if (ARABIC_WORD.test(word)) return stemArabic(word);
  if (LATIN_WORD.test(word)) return stemEnglish(word);
  return word;
}
