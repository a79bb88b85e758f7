import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, type PDFRef } from '@cantoo/pdf-lib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendDss, vriKeyOf } from './dss.js';
import { onePagePdf } from './test-support/corpus.js';
import type { ValidationData } from './validation-data.js';

const blob = fc.uint8Array({ minLength: 1, maxLength: 300 });
const data = fc.record({
  certificates: fc.array(blob, { maxLength: 4 }),
  ocsps: fc.array(blob, { maxLength: 3 }),
  crls: fc.array(blob, { maxLength: 2 }),
});

const prefixOf = (whole: Uint8Array, part: Uint8Array): boolean =>
  Buffer.from(whole.subarray(0, part.length)).equals(Buffer.from(part));

/** Every stream the /DSS lists under `key`, decoded, in order. */
const streamsUnder = async (pdf: Uint8Array, key: string): Promise<ReadonlyArray<Uint8Array>> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const dss = doc.catalog.lookup(PDFName.of('DSS'), PDFDict);
  const list = dss.lookupMaybe(PDFName.of(key), PDFArray);
  return (list?.asArray() ?? []).map((ref) => {
    const stream = doc.context.lookup(ref as PDFRef) as PDFRawStream;
    return new Uint8Array(inflateSync(stream.getContents()));
  });
};

const vriKeys = async (pdf: Uint8Array): Promise<ReadonlyArray<string>> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const vri = doc.catalog.lookup(PDFName.of('DSS'), PDFDict).lookup(PDFName.of('VRI'), PDFDict);
  return vri.keys().map((k) => k.decodeText());
};

const hex = (items: ReadonlyArray<Uint8Array>) => items.map((i) => Buffer.from(i).toString('hex'));

describe('the /DSS update (PAdES B-LT)', () => {
  it('appends the certificates, OCSP responses and CRLs as given, keeping the file as a prefix', async () => {
    const original = await onePagePdf();
    await fc.assert(
      fc.asyncProperty(data, blob, async (given: ValidationData, contents) => {
        const updated = await appendDss(original, given, contents);
        expect(prefixOf(updated, original)).toBe(true);
        expect(hex(await streamsUnder(updated, 'Certs'))).toEqual(hex(given.certificates));
        expect(hex(await streamsUnder(updated, 'OCSPs'))).toEqual(hex(given.ocsps));
        expect(hex(await streamsUnder(updated, 'CRLs'))).toEqual(hex(given.crls));
        expect(await vriKeys(updated)).toEqual([vriKeyOf(contents)]);
      }),
      { numRuns: 25 },
    );
  });

  it('carries an earlier /DSS over: a second update lists both, and both /VRI entries', async () => {
    const original = await onePagePdf();
    await fc.assert(
      fc.asyncProperty(data, data, blob, blob, async (first, second, contentsA, contentsB) => {
        fc.pre(vriKeyOf(contentsA) !== vriKeyOf(contentsB));
        const once = await appendDss(original, first, contentsA);
        const twice = await appendDss(once, second, contentsB);
        expect(prefixOf(twice, once)).toBe(true);
        for (const [key, field] of [
          ['Certs', 'certificates'],
          ['OCSPs', 'ocsps'],
          ['CRLs', 'crls'],
        ] as const)
          expect(hex(await streamsUnder(twice, key))).toEqual(hex([...first[field], ...second[field]]));
        expect([...(await vriKeys(twice))].sort()).toEqual([vriKeyOf(contentsA), vriKeyOf(contentsB)].sort());
      }),
      { numRuns: 15 },
    );
  });

  it('keys /VRI by the upper-case hex SHA-1 of the signature contents', () => {
    fc.assert(
      fc.property(blob, (contents) => {
        const key = vriKeyOf(contents);
        expect(key).toMatch(/^[0-9A-F]{40}$/);
        expect(key.toLowerCase()).toBe(createHash('sha1').update(contents).digest('hex'));
      }),
    );
  });
});
