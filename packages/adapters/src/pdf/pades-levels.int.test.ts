import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import { makePadesDocumentSealer, type PadesSealerConfig } from './pades-document-sealer.js';
import type { PadesLevel } from './pades-level.js';
import { makeHttpRevocationSource } from './revocation-source.js';
import { onePagePdf } from './test-support/corpus.js';
import { dssOf } from './test-support/dss-contents.js';
import { type LocalPki, startLocalPki } from './test-support/local-pki.js';
import { nssDatabaseTrusting, pdfsigAsync, qpdfCheck, tempDir, writeTemp } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { signaturesOf } from './test-support/signature-dictionaries.js';

const tools = requireTools('openssl', 'pdfsig', 'certutil', 'qpdf');

const seal = async (config: PadesSealerConfig, document?: Uint8Array) => {
  // Signed now: the throwaway certificates are valid from now on only.
  const request = sealRequestFor(document ?? (await onePagePdf()), { signedAt: new Date() });
  return makePadesDocumentSealer(config).seal(request)();
};

const sealed = async (config: PadesSealerConfig, document?: Uint8Array): Promise<Uint8Array> => {
  const result = await seal(config, document);
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

const opensslTsVerify = (dir: string, token: Uint8Array, args: ReadonlyArray<string>, pki: LocalPki) => {
  writeFileSync(join(dir, 'token.der'), token);
  writeFileSync(join(dir, 'root.pem'), pki.rootPem);
  writeFileSync(join(dir, 'tsa.pem'), pki.tsaPem);
  return execFileSync(
    'openssl',
    [
      ...['ts', '-verify', '-token_in', '-in', 'token.der', '-CAfile', 'root.pem', '-untrusted', 'tsa.pem'],
      ...args,
    ],
    { cwd: dir, encoding: 'utf8', stdio: 'pipe' },
  );
};

describe.skipIf(!tools)('PAdES B-LT and B-LTA (openssl PKI, OCSP responder and TSA on loopback)', () => {
  let pki: LocalPki;
  let nss: string;
  const dir = tempDir('paraphe-lta-');
  const config = (level: PadesLevel): PadesSealerConfig => ({
    identity: pki.identity,
    timestampAuthority: { url: pki.tsaUrl },
    level,
  });

  beforeAll(async () => {
    pki = await startLocalPki();
    nss = nssDatabaseTrusting(pki.rootPem);
  });
  afterAll(async () => {
    await pki.close();
  });

  it('B-LTA: the signature, a /DSS with the chains and OCSP responses, then a document timestamp', async () => {
    const original = await onePagePdf();
    const pdf = await sealed(config('B-LTA'), original);
    expect(Buffer.from(pdf.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const path = writeTemp(dir, 'b-lta.pdf', pdf);
    expect(qpdfCheck(path).ok).toBe(true);

    // pdfsig checks the signer's certificate online against our responder, which is up.
    const [signature, timestamp] = await pdfsigAsync(path, nss);
    expect(signature?.validation).toMatch(/^Signature is Valid/);
    expect(signature?.trusted).toBe(true);
    // poppler 22 lists a document timestamp but cannot validate one: openssl does, below.
    expect(timestamp).toBeDefined();

    const dss = await dssOf(pdf);
    expect(dss.present).toBe(true);
    // Signer, TSA and root; one OCSP response for the signer and one for the TSA (the root is the anchor).
    expect(dss.certs).toBe(3);
    expect(dss.ocsps).toBe(2);
    expect(dss.crls).toBe(0);
    const signatures = await signaturesOf(pdf);
    expect(signatures.map((s) => s.subFilter)).toEqual(['ETSI.CAdES.detached', 'ETSI.RFC3161']);
    expect(dss.vriKeys).toEqual([signatures[0]!.vriKey]);

    // The document timestamp is the last revision and covers the whole file, DSS included.
    const last = signatures[1]!;
    expect(last.type).toBe('DocTimeStamp');
    expect(last.byteRange[2] + last.byteRange[3]).toBe(pdf.length);
    const covered = Buffer.concat([
      pdf.subarray(0, last.byteRange[1]),
      pdf.subarray(last.byteRange[2], last.byteRange[2] + last.byteRange[3]),
    ]);
    writeFileSync(join(dir, 'covered.bin'), covered);
    expect(opensslTsVerify(dir, last.contents, ['-data', 'covered.bin'], pki)).toContain('Verification: OK');

    // The signature timestamp covers the CAdES signature value.
    const first = signatures[0]!;
    writeFileSync(join(dir, 'signature-value.bin'), first.signatureValue);
    expect(opensslTsVerify(dir, first.timestampToken!, ['-data', 'signature-value.bin'], pki)).toContain(
      'Verification: OK',
    );
  });

  it('B-LT: the /DSS and no document timestamp; a CRL where certificates name no OCSP responder', async () => {
    const crlPki = await startLocalPki({ revocation: 'crl' });
    try {
      const pdf = await sealed({
        identity: crlPki.identity,
        timestampAuthority: { url: crlPki.tsaUrl },
        level: 'B-LT',
      });
      const dss = await dssOf(pdf);
      expect(dss.ocsps).toBe(0);
      // One CRL (the root's) serves both the signer and the TSA.
      expect(dss.crls).toBe(1);
      expect((await signaturesOf(pdf)).map((s) => s.subFilter)).toEqual(['ETSI.CAdES.detached']);
      const [signature] = await pdfsigAsync(
        writeTemp(dir, 'b-lt-crl.pdf', pdf),
        nssDatabaseTrusting(crlPki.rootPem),
      );
      expect(signature?.trusted).toBe(true);
      expect(signature?.validation).toMatch(/^Signature is Valid/);
    } finally {
      await crlPki.close();
    }
  });

  it('fetches an issuer missing from the chains from the AIA caIssuers (signer chain and TSA token without the root)', async () => {
    const bare = await startLocalPki({ chains: 'leaf-only' });
    try {
      const pdf = await sealed({
        identity: bare.identity,
        timestampAuthority: { url: bare.tsaUrl },
        level: 'B-LTA',
      });
      const dss = await dssOf(pdf);
      // Signer, TSA and the root fetched from caIssuers; an OCSP response for the signer and for the TSA.
      expect(dss.certs).toBe(3);
      expect(dss.ocsps).toBe(2);
      // Without a way to fetch it, the seal is refused, naming the missing issuer.
      const refused = await seal({
        identity: bare.identity,
        timestampAuthority: { url: bare.tsaUrl },
        level: 'B-LT',
        revocation: { revocationOf: makeHttpRevocationSource().revocationOf },
      });
      expect(E.isLeft(refused) && String(refused.left.details?.reason)).toMatch(/issuer is not in the chain/);
    } finally {
      await bare.close();
    }
  });

  it('asks the responder once for a burst of seals (cached until nextUpdate, at most maxAge)', async () => {
    const revocation = makeHttpRevocationSource();
    const before = pki.counts().ocsp;
    const sealer = { ...config('B-LT'), revocation };
    await sealed(sealer);
    await sealed(sealer);
    await sealed(sealer);
    expect(pki.counts().ocsp - before).toBe(2);
    // With no reuse allowed, every seal asks again.
    const fresh = { ...config('B-LT'), revocation: makeHttpRevocationSource({ maxAgeMs: 0 }) };
    const middle = pki.counts().ocsp;
    await sealed(fresh);
    await sealed(fresh);
    expect(pki.counts().ocsp - middle).toBe(4);
  });

  it('asks the responder again once an answer is older than maxAgeMs (injected clock)', async () => {
    let now = Date.now();
    const revocation = makeHttpRevocationSource({ maxAgeMs: 60_000, now: () => new Date(now) });
    const sealer = { ...config('B-LT'), revocation };
    const before = pki.counts().ocsp;
    await sealed(sealer);
    now += 30_000;
    await sealed(sealer);
    expect(pki.counts().ocsp - before).toBe(2);
    now += 31_000;
    await sealed(sealer);
    expect(pki.counts().ocsp - before).toBe(4);
  });

  it('refuses (never downgrades) a seal whose responder hangs, with a secret-free reason', async () => {
    pki.hangOcsp(true);
    try {
      const result = await seal({
        ...config('B-LTA'),
        revocation: makeHttpRevocationSource({ timeoutMs: 300 }),
      });
      expect(E.isLeft(result) && result.left.code).toBe('SEALING_FAILURE');
      expect(E.isLeft(result) && String(result.left.details?.reason)).toMatch(/timed out/);
      // The responder may answer later: the seal may be tried again.
      expect(E.isLeft(result) && result.left.retryable).toBe(true);
    } finally {
      pki.hangOcsp(false);
    }
  });

  it('refuses a seal whose signing certificate is revoked', async () => {
    const own = await startLocalPki();
    try {
      own.revokeSigner();
      const result = await seal({
        identity: own.identity,
        timestampAuthority: { url: own.tsaUrl },
        level: 'B-LT',
      });
      expect(E.isLeft(result) && result.left.code).toBe('SEALING_FAILURE');
      expect(E.isLeft(result) && String(result.left.details?.reason)).toMatch(
        /signer: certificate is revoked/,
      );
      // A revoked certificate stays revoked: trying again will never do.
      expect(E.isLeft(result) && result.left.retryable).toBe(false);
    } finally {
      await own.close();
    }
  });

  it('refuses B-LT for a signer whose certificate names no OCSP responder and no CRL', async () => {
    const result = await seal({
      identity: await generateDevelopmentSigningIdentity(),
      timestampAuthority: { url: pki.tsaUrl },
      level: 'B-LT',
    });
    expect(E.isLeft(result) && result.left.code).toBe('SEALING_FAILURE');
    expect(E.isLeft(result) && String(result.left.details?.reason)).toMatch(
      /Paraphe DEVELOPMENT signer: the certificate names no OCSP responder and no CRL distribution point/,
    );
  });

  it('refuses a level above B-B without a TSA with INVALID_CONFIG', async () => {
    for (const level of ['B-T', 'B-LT', 'B-LTA'] as const) {
      const result = await seal({ identity: pki.identity, level });
      expect(E.isLeft(result) && result.left).toMatchObject({
        code: 'INVALID_CONFIG',
        details: { fields: 'timestampAuthority' },
      });
    }
  });
});
