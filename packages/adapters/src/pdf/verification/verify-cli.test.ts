import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from '../development-identity.js';
import { makePadesDocumentSealer } from '../pades-document-sealer.js';
import { onePagePdf } from '../test-support/corpus.js';
import { tempDir } from '../test-support/pdf-tools.js';
import { sealRequestFor } from '../test-support/seal-request.js';
import { CHECK_LABELS } from './report-text.js';
import { EXIT, MAX_PDF_BYTES, runVerifyCli } from './verify-cli.js';
import { VERIFICATION_LIMITS } from './verify-document.js';

const run = async (args: ReadonlyArray<string>, lang = 'en') => {
  let out = '';
  let err = '';
  const code = await runVerifyCli(args, { LANG: lang }, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
};

describe('paraphe-verify refuses what it cannot check, quickly and clearly', () => {
  let dir: string;
  let sealedPath: string;

  beforeAll(async () => {
    dir = tempDir('paraphe-verify-cli-');
    const sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
    const sealed = await sealer.seal(sealRequestFor(await onePagePdf()))();
    if (E.isLeft(sealed)) throw new Error(sealed.left.code);
    sealedPath = join(dir, 'sealed.pdf');
    writeFileSync(sealedPath, sealed.right);
  });

  it('refuses a file over the size bound from its size, without reading it (a sparse file)', async () => {
    const huge = join(dir, 'huge.pdf');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_PDF_BYTES + 1);
    const en = await run([huge]);
    expect(en).toMatchObject({ code: EXIT.usage, out: '' });
    expect(en.err).toContain('File refused, too large');
    expect((await run([huge], 'fr_FR.UTF-8')).err).toContain('Le document est trop volumineux');
    const certificate = await run([sealedPath, '--certificate', huge]);
    expect(certificate.code).toBe(EXIT.usage);
  });

  it('answers 2 for a directory or a missing file, 1 for bytes that are no signed PDF', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect((await run([folder])).code).toBe(EXIT.usage);
    const garbage = join(dir, 'garbage.pdf');
    writeFileSync(garbage, 'not a PDF at all');
    const report = await run([garbage]);
    expect(report.code).toBe(EXIT.invalid);
    expect(report.out).toContain('Result: NOT VALID');
  });

  it('gives up on a file with more revisions or signatures than any real one, at once', async () => {
    const revisions = join(dir, 'revisions.pdf');
    writeFileSync(
      revisions,
      `%PDF-1.7\n${'%%EOF\n1 0 obj\n<<>>\nendobj\n'.repeat(VERIFICATION_LIMITS.revisions + 1)}`,
    );
    const manyRevisions = await run([revisions, '--json']);
    expect(manyRevisions.code).toBe(EXIT.invalid);
    expect(JSON.parse(manyRevisions.out).checks[0]).toMatchObject({
      name: 'signatures-present',
      ok: false,
      details: { tooMany: 'revisions' },
    });
    // Every dictionary names the one hole at the top: each is a signature to the scan.
    const fake = '<< /Type /Sig /ByteRange [0 9 15 0] /Contents <3000> >>\n';
    const signatures = join(dir, 'signatures.pdf');
    writeFileSync(signatures, `%PDF-1.7\n<3000>\n${fake.repeat(VERIFICATION_LIMITS.signatures + 5)}%%EOF\n`);
    const manySignatures = await run([signatures, '--json']);
    expect(manySignatures.code).toBe(EXIT.invalid);
    expect(JSON.parse(manySignatures.out).checks[0]).toMatchObject({
      ok: false,
      details: { tooMany: 'signatures' },
    });
  });

  it('labels every check in French and English', () => {
    for (const [name, label] of Object.entries(CHECK_LABELS)) {
      expect(label.fr, name).not.toBe('');
      expect(label.en, name).not.toBe('');
      expect(label.fr, name).not.toBe(label.en);
    }
  });

  it('prints a valid sealed PDF as valid in both languages, the same checks in --json', async () => {
    const en = await run([sealedPath]);
    const fr = await run([sealedPath], 'fr_FR.UTF-8');
    expect([en.code, fr.code]).toEqual([EXIT.valid, EXIT.valid]);
    expect(en.out).toContain('Result: VALID');
    expect(fr.out).toContain('Résultat : VALIDE');
    const json = JSON.parse((await run([sealedPath, '--json'])).out) as {
      checks: ReadonlyArray<{ name: keyof typeof CHECK_LABELS; ok: boolean }>;
    };
    for (const check of json.checks) expect(en.out).toContain(CHECK_LABELS[check.name].en);
  });
});
