import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { languages, type PadesLevel, padesLevels } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { type CertificateLabels, certificateLabels } from './certificate-labels.js';
import { makeWinAnsiSanitizer } from './win-ansi.js';

type Key = keyof CertificateLabels;
type FunctionKey = { [K in Key]: CertificateLabels[K] extends (...args: never[]) => string ? K : never }[Key];
type RecordKey = {
  [K in Key]: CertificateLabels[K] extends Readonly<Record<string, string>> ? K : never;
}[Key];

// Arguments for every label that is a function: the type makes this list exhaustive.
const samples: { [K in FunctionKey]: ReadonlyArray<Parameters<CertificateLabels[K]>> } = {
  padesLevel: padesLevels.map((level): [PadesLevel] => [level]),
  headEvent: [[7, 'Document signed']],
  attachedFileText: [['paraphe-evidence.json']],
  checkChain: [['paraphe-evidence.json']],
  checkChainByHand: [['paraphe-evidence.json']],
  certificateSeal: [['Paraphe']],
  page: [[1, 3]],
  signerOf: [
    [1, 2],
    [3, 10],
  ],
};
// Every record the labels hold: the type makes this list exhaustive too.
const records: { [K in RecordKey]: true } = { actors: true, events: true, roles: true, signingOrders: true };

/** Written the same way in both languages, on purpose. */
const SAME_IN_BOTH: ReadonlyArray<string> = ['documents', 'email', 'mobile', 'ip'];

/** Every printed text of a language, by a path naming it. */
const texts = (labels: CertificateLabels): ReadonlyMap<string, string> => {
  const out = new Map<string, string>();
  for (const key of Object.keys(labels) as Key[]) {
    const value = labels[key];
    if (typeof value === 'string') out.set(key, value);
    else if (typeof value === 'function') {
      const call = value as (...args: ReadonlyArray<unknown>) => string;
      const calls = samples[key as FunctionKey] as ReadonlyArray<ReadonlyArray<unknown>>;
      calls.forEach((args, i) => {
        out.set(`${key}(${i})`, call(...args));
      });
    } else for (const [sub, text] of Object.entries(value)) out.set(`${key}.${sub}`, text);
  }
  return out;
};

describe('certificate labels', () => {
  const fr = certificateLabels('fr');
  const en = certificateLabels('en');

  it('exist in every language, for the same keys and the same records', () => {
    for (const language of languages) {
      const labels = certificateLabels(language);
      expect(Object.keys(labels).sort()).toEqual(Object.keys(fr).sort());
      for (const key of Object.keys(records) as RecordKey[])
        expect(Object.keys(labels[key]).sort()).toEqual(Object.keys(fr[key]).sort());
      for (const [path, text] of texts(labels)) expect(text.trim(), `${language} ${path}`).not.toBe('');
    }
    expect([...texts(en).keys()].sort()).toEqual([...texts(fr).keys()].sort());
  });

  it('are translated, but for the few written the same way in both languages', () => {
    const english = texts(en);
    const same = [...texts(fr)].filter(([path, text]) => english.get(path) === text).map(([path]) => path);
    expect(same.sort()).toEqual([...SAME_IN_BOTH].sort());
  });

  it('can all be drawn with the certificate font, with no character replaced', async () => {
    const doc = await PDFDocument.create();
    const sanitize = makeWinAnsiSanitizer(await doc.embedFont(StandardFonts.Helvetica));
    for (const language of languages) {
      for (const [path, text] of texts(certificateLabels(language))) {
        expect(sanitize(text), `${language} ${path}`).toBe(text);
      }
    }
  });

  it('state a simple electronic signature and its legal basis, never an advanced or qualified one', () => {
    expect(fr.legalStatement).toMatch(
      /Signature électronique simple.*article 25.*910\/2014.*1366 et 1367 du Code civil/s,
    );
    expect(en.legalStatement).toMatch(/Simple electronic signature.*Article 25\(1\).*910\/2014/s);
    expect(en.legalStatement).not.toContain('Code civil');
    expect(fr.legalStatement).toContain(
      'ni une signature électronique avancée ni une signature électronique qualifiée',
    );
    expect(en.legalStatement).toContain('neither an advanced nor a qualified electronic signature');
  });
});
