import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as asn1js from 'asn1js';
import * as E from 'fp-ts/lib/Either.js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdjustableClock } from '../clock/clocks.js';
import { type DevelopmentAuthority, generateDevelopmentAuthority, pemOf } from './development-identity.js';
import type { TimestampSigner } from './development-timestamp-token.js';
import {
  DEVELOPMENT_TSA_POLICY,
  type DevelopmentTsa,
  issueDevelopmentTimestampSigner,
  startDevelopmentTsa,
} from './development-tsa.js';
import { tempDir } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { readTstInfo, requestSignatureTimestamp } from './timestamp-client.js';

const openssl = (args: ReadonlyArray<string>): string =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const post = async (url: string, body: Uint8Array, contentType = 'application/timestamp-query') => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
};

// A day back, with milliseconds, so the token's genTime shows both the injection and the truncation to seconds.
const instant = new Date(
  Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000 + 5 * 3600_000 + 7_890,
);

describe.each(['rsa-2048', 'ecdsa-p256'] as const)('development TSA (%s)', (keyAlgorithm) => {
  const dir = tempDir('paraphe-dev-tsa-');
  const path = (name: string) => join(dir, name);
  let authority: DevelopmentAuthority;
  let signer: TimestampSigner;
  let tsa: DevelopmentTsa;
  const query = async (name: string, ...args: ReadonlyArray<string>): Promise<string> => {
    openssl(['ts', '-query', '-data', path('data.txt'), ...args, '-out', path(`${name}.tsq`)]);
    const reply = await post(tsa.url, readFileSync(path(`${name}.tsq`)));
    expect(reply.status).toBe(200);
    writeFileSync(path(`${name}.tsr`), reply.body);
    return path(`${name}.tsr`);
  };
  const verify = (args: ReadonlyArray<string>): string =>
    openssl([
      ...['ts', '-verify', ...args],
      ...['-CAfile', path('root.pem'), '-untrusted', path('tsa.pem')],
    ]).trim();

  beforeAll(async () => {
    if (!requireTools('openssl')) return;
    authority = await generateDevelopmentAuthority({ keyAlgorithm, notBefore: instant });
    signer = await issueDevelopmentTimestampSigner(authority);
    tsa = await startDevelopmentTsa({ signer, clock: makeAdjustableClock(instant) });
    writeFileSync(path('root.pem'), pemOf(authority.certificate));
    writeFileSync(path('tsa.pem'), pemOf(signer.certificate));
    writeFileSync(path('data.txt'), 'Quote #42, signed');
  });
  afterAll(async () => {
    await tsa?.close();
  });

  it.skipIf(!requireTools('openssl'))('grants a token openssl ts reads and verifies', async () => {
    const reply = await query('granted', '-sha256', '-cert');
    const text = openssl(['ts', '-reply', '-in', reply, '-text']);
    expect(text).toMatch(/Status: Granted\./);
    expect(text).toContain(`Policy OID: ${DEVELOPMENT_TSA_POLICY}`);
    expect(text).toMatch(/Hash Algorithm: sha256/);
    const requested = openssl(['ts', '-query', '-in', path('granted.tsq'), '-text']);
    expect(/Nonce: (0x[0-9A-F]+)/.exec(text)?.[1]).toBe(/Nonce: (0x[0-9A-F]+)/.exec(requested)?.[1]);
    const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
    const shown = /Time stamp: (.*)$/m.exec(text)?.[1] ?? '';
    expect(new Date(shown).getTime()).toBe(whole.getTime());
    expect(verify(['-in', reply, '-queryfile', path('granted.tsq')])).toBe('Verification: OK');
    const digest = openssl(['dgst', '-sha256', '-r', path('data.txt')]).split(' ')[0]!;
    expect(verify(['-in', reply, '-digest', digest])).toBe('Verification: OK');
    expect(verify(['-in', reply, '-data', path('data.txt')])).toBe('Verification: OK');
  });

  it.skipIf(!requireTools('openssl'))('does not verify against another document', async () => {
    const reply = await query('other', '-sha256', '-cert');
    writeFileSync(path('other.txt'), 'Quote #43, signed');
    expect(() => verify(['-in', reply, '-data', path('other.txt')])).toThrow();
  });

  it.skipIf(!requireTools('openssl'))('signs its attributes as RFC 5816 asks', async () => {
    const reply = await query('attributes', '-sha512', '-cert');
    const response = pkijs.TimeStampResp.fromBER(readFileSync(reply));
    const signedData = new pkijs.SignedData({ schema: response.timeStampToken?.content });
    const types = signedData.signerInfos[0]?.signedAttrs?.attributes.map((a) => a.type);
    expect(types).toEqual(
      expect.arrayContaining(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.16.2.47']),
    );
    const contentType = signedData.signerInfos[0]?.signedAttrs?.attributes.find(
      (a) => a.type === '1.2.840.113549.1.9.3',
    )?.values[0] as asn1js.ObjectIdentifier | undefined;
    expect(contentType?.valueBlock.toString()).toBe('1.2.840.113549.1.9.16.1.4');
    expect(signedData.certificates).toHaveLength(1);
    const ekus = openssl(['x509', '-in', path('tsa.pem'), '-noout', '-ext', 'extendedKeyUsage,keyUsage']);
    expect(ekus).toMatch(/Extended Key Usage: critical\s+Time Stamping\s*$/m);
    expect(ekus).toMatch(/Key Usage: critical\s+Digital Signature\s*$/m);
  });

  it.skipIf(!requireTools('openssl'))('leaves its certificate out when the query does not ask', async () => {
    const reply = await query('no-cert', '-sha256');
    const response = pkijs.TimeStampResp.fromBER(readFileSync(reply));
    const signedData = new pkijs.SignedData({ schema: response.timeStampToken?.content });
    expect(signedData.certificates ?? []).toHaveLength(0);
    expect(verify(['-in', reply, '-queryfile', path('no-cert.tsq')])).toBe('Verification: OK');
  });

  it.skipIf(!requireTools('openssl'))('is accepted by the sealer’s own timestamp client', async () => {
    const result = await requestSignatureTimestamp({ url: tsa.url }, new Uint8Array([1, 2, 3]))();
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(readTstInfo(result.right).policy).toBe(DEVELOPMENT_TSA_POLICY);
  });

  it.skipIf(!requireTools('openssl'))('rejects what it cannot grant, with the reason', async () => {
    const sha1 = openssl(['ts', '-reply', '-in', await query('sha1', '-sha1'), '-text']);
    expect(sha1).toMatch(/Status: Rejected\./);
    expect(sha1).toMatch(/Failure info:\s+unrecognized or unsupported algorithm identifier/);
    const policy = openssl(['ts', '-reply', '-in', await query('policy', '-tspolicy', '1.2.3.4'), '-text']);
    expect(policy).toMatch(/Status: Rejected\./);
    expect(policy).toMatch(/requested TSA policy is not supported/);
    const garbage = await post(tsa.url, new TextEncoder().encode('not a query'));
    writeFileSync(path('garbage.tsr'), garbage.body);
    const text = openssl(['ts', '-reply', '-in', path('garbage.tsr'), '-text']);
    expect(text).toMatch(/Status: Rejected\./);
    expect(text).toMatch(/the data submitted has the wrong format/);
  });

  it.skipIf(!requireTools('openssl'))(
    'answers HTTP errors, never a crash, to what is not a query',
    async () => {
      const valid = readFileSync(path('granted.tsq'));
      expect((await post(tsa.url, valid, 'text/plain')).status).toBe(400);
      expect((await fetch(tsa.url)).status).toBe(405);
      expect((await post(tsa.url.replace('/tsa', '/other'), valid)).status).toBe(404);
      expect((await post(tsa.url, new Uint8Array(64 * 1024))).status).toBe(413);
      expect((await post(tsa.url, valid)).status).toBe(200);
    },
  );
});

describe('development TSA lifecycle', () => {
  it('closes with a kept-alive connection open, and then refuses connections', async () => {
    const authority = await generateDevelopmentAuthority({ keyAlgorithm: 'ecdsa-p256' });
    const tsa = await startDevelopmentTsa({
      signer: await issueDevelopmentTimestampSigner(authority),
      clock: makeAdjustableClock(new Date()),
    });
    expect((await post(tsa.url, new Uint8Array([0x30, 0x00]))).status).toBe(200);
    await tsa.close();
    await expect(post(tsa.url, new Uint8Array([0x30, 0x00]))).rejects.toThrow();
  });
});
