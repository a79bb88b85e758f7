const SPACES = /[\u2000-\u200b\u202f\u205f\u3000]/g;
const COMBINING_MARKS = /\p{M}+/gu;
// Latin letters with no Unicode decomposition to fall back on.
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
};

// Standard fonts share one character set array per encoding: its Set is built once, not per stamp.
const supportedSets = new WeakMap<ReadonlyArray<number>, ReadonlySet<number>>();
const supportedSet = (codePoints: ReadonlyArray<number>): ReadonlySet<number> => {
  let set = supportedSets.get(codePoints);
  if (set === undefined) {
    set = new Set(codePoints);
    supportedSets.set(codePoints, set);
  }
  return set;
};

/**
 * Makes text drawable with a standard (WinAnsi) font: pdf-lib throws on a character the encoding lacks, so
 * such characters lose their accents when they decompose (ő → o) and become "?" otherwise.
 */
export const makeWinAnsiSanitizer = (font: {
  readonly getCharacterSet: () => ReadonlyArray<number>;
}): ((text: string) => string) => {
  const supported = supportedSet(font.getCharacterSet());
  const keep = (ch: string) => supported.has(ch.codePointAt(0) ?? -1);
  return (text) => {
    let out = '';
    for (const ch of text
      .normalize('NFC')
      .replace(SPACES, ' ')
      .replace(/[\r\n\t]/g, ' ')) {
      if (keep(ch)) {
        out += ch;
        continue;
      }
      const stripped = LOOK_ALIKES[ch] ?? ch.normalize('NFD').replace(COMBINING_MARKS, '');
      out += stripped.length > 0 && [...stripped].every(keep) ? stripped : '?';
    }
    return out;
  };
};
