import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { type CorpusEntry, generatedSamples, realWorldSamples } from './test-support/corpus.js';
import { type LocalPki, startLocalPki } from './test-support/local-pki.js';
import { nssDatabaseTrusting, pdfsigAsync, qpdfCheck, tempDir, writeTemp } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { signaturesOf } from './test-support/signature-dictionaries.js';

const tools = requireTools('openssl', 'pdfsig', 'certutil', 'qpdf');
const run = promisify(execFile);

describe.skipIf(!tools)('B-LTA on every sample of the corpus, pre-signed ones included', () => {
  let pki: LocalPki;
  let nss: string;
  let corpus: ReadonlyArray<CorpusEntry>;
  const dir = tempDir('paraphe-lta-corpus-');

  beforeAll(async () => {
    pki = await startLocalPki();
    nss = nssDatabaseTrusting(pki.rootPem);
    writeFileSync(join(dir, 'root.pem'), pki.rootPem);
    writeFileSync(join(dir, 'tsa.pem'), pki.tsaPem);
    corpus = [...realWorldSamples(), ...(await generatedSamples())];
  });
  afterAll(async () => {
    await pki.close();
  });

  const sealLta = async (document: Uint8Array): Promise<Uint8Array> => {
    const sealer = makePadesDocumentSealer({
      identity: pki.identity,
      timestampAuthority: { url: pki.tsaUrl },
      level: 'B-LTA',
    });
    const result = await sealer.seal(sealRequestFor(document, { signedAt: new Date() }))();
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    return result.right;
  };

  /** The file's last signature is a document timestamp over all of it, which openssl accepts. */
  const expectDocumentTimestampLast = async (name: string, pdf: Uint8Array) => {
    const last = (await signaturesOf(pdf)).at(-1)!;
    expect(last.subFilter, name).toBe('ETSI.RFC3161');
    expect(last.byteRange[2] + last.byteRange[3], name).toBe(pdf.length);
    writeFileSync(join(dir, 'token.der'), last.contents);
    writeFileSync(
      join(dir, 'covered.bin'),
      Buffer.concat([pdf.subarray(0, last.byteRange[1]), pdf.subarray(last.byteRange[2])]),
    );
    const verified = await run(
      'openssl',
      ['ts', '-verify', '-token_in', '-in', 'token.der', '-data', 'covered.bin'].concat([
        '-CAfile',
        'root.pem',
        '-untrusted',
        'tsa.pem',
      ]),
      { cwd: dir },
    );
    expect(verified.stdout, name).toContain('Verification: OK');
  };

  // poppler 22 cannot validate a document timestamp ("not yet verified"): every other signature must be valid.
  const cadesOf = (signatures: Awaited<ReturnType<typeof pdfsigAsync>>) =>
    signatures.filter((s) => !s.validation.startsWith('Signature has not yet been verified'));

  it('keeps the original as a prefix and every earlier signature valid, once and twice', async () => {
    for (const entry of corpus) {
      const before = cadesOf(await pdfsigAsync(writeTemp(dir, `original-${entry.name}`, entry.bytes))).length;
      const once = await sealLta(entry.bytes);
      expect(Buffer.from(once.subarray(0, entry.bytes.length)).equals(Buffer.from(entry.bytes))).toBe(true);
      const path = writeTemp(dir, entry.name, once);
      expect(qpdfCheck(path).ok, entry.name).toBe(true);
      const signatures = await pdfsigAsync(path, nss);
      expect(signatures, entry.name).toHaveLength(before + 2);
      const cades = cadesOf(signatures);
      expect(cades, entry.name).toHaveLength(before + 1);
      for (const s of cades) expect(s.validation, entry.name).toMatch(/^Signature is Valid/);
      expect(cades.at(-1)?.trusted, entry.name).toBe(true);
      await expectDocumentTimestampLast(entry.name, once);

      // A second B-LTA seal on top: the first signature and document timestamp stay intact.
      const twice = await sealLta(once);
      expect(Buffer.from(twice.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
      const twicePath = writeTemp(dir, `twice-${entry.name}`, twice);
      expect(qpdfCheck(twicePath).ok, entry.name).toBe(true);
      const again = cadesOf(await pdfsigAsync(twicePath, nss));
      expect(again, entry.name).toHaveLength(before + 2);
      for (const s of again) expect(s.validation, entry.name).toMatch(/^Signature is Valid/);
      await expectDocumentTimestampLast(entry.name, twice);
    }
  });
});
