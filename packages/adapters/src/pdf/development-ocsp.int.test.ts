import { execFile } from 'node:child_process';
import { KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdjustableClock } from '../clock/clocks.js';
import {
  type DevelopmentAuthority,
  developmentSigningIdentityUnder,
  generateDevelopmentAuthority,
  pemOf,
} from './development-identity.js';
import {
  type CertificateStatus,
  type DevelopmentOcspResponder,
  startDevelopmentOcspResponder,
} from './development-ocsp.js';
import { tempDir } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';

// Asynchronous: the responder runs in this process, so a synchronous child would block its answer.
const run = promisify(execFile);
const openssl = async (args: ReadonlyArray<string>): Promise<string> => {
  try {
    const { stdout, stderr } = await run('openssl', [...args], { encoding: 'utf8' });
    return `${stdout}${stderr}`;
  } catch (e) {
    const failed = e as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
};

const instant = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000 + 250);

describe.each(['rsa-2048', 'ecdsa-p256'] as const)('development OCSP responder (%s)', (keyAlgorithm) => {
  const dir = tempDir('paraphe-dev-ocsp-');
  const path = (name: string) => join(dir, name);
  let authority: DevelopmentAuthority;
  let responder: DevelopmentOcspResponder;
  const revoked = new Map<string, Date>();
  let leafSerial = '';
  const statusOf = (serial: string): CertificateStatus => {
    const at = revoked.get(serial);
    if (at !== undefined) return { status: 'revoked', revokedAt: at };
    return serial === leafSerial ? { status: 'good' } : { status: 'unknown' };
  };
  const ask = (cert: string, ...extra: ReadonlyArray<string>) =>
    openssl([
      ...['ocsp', '-issuer', path('root.pem'), '-cert', cert, '-url', responder.url],
      ...['-CAfile', path('root.pem'), ...extra],
    ]);

  beforeAll(async () => {
    if (!requireTools('openssl')) return;
    authority = await generateDevelopmentAuthority({ keyAlgorithm, notBefore: instant });
    responder = await startDevelopmentOcspResponder({
      issuer: { certificate: authority.certificate, privateKey: KeyObject.from(authority.keys.privateKey) },
      statusOf,
      clock: makeAdjustableClock(instant),
    });
    const identity = await developmentSigningIdentityUnder(authority, { ocspUrl: responder.url });
    writeFileSync(path('root.pem'), pemOf(authority.certificate));
    writeFileSync(path('leaf.pem'), identity.leafCertificatePem);
    leafSerial = new X509Certificate(identity.leafCertificatePem).serialNumber.toLowerCase();
    const other = await developmentSigningIdentityUnder(await generateDevelopmentAuthority({ keyAlgorithm }));
    writeFileSync(path('foreign.pem'), other.leafCertificatePem);
    writeFileSync(path('foreign-root.pem'), other.rootCertificatePem);
  });
  afterAll(async () => {
    await responder?.close();
  });

  it.skipIf(!requireTools('openssl'))(
    'names itself in the leaf’s AIA and answers good, verified',
    async () => {
      const aia = await openssl(['x509', '-in', path('leaf.pem'), '-noout', '-ocsp_uri']);
      expect(aia.trim()).toBe(responder.url);
      const out = await ask(path('leaf.pem'), '-resp_text');
      expect(out).toMatch(/Response verify OK/);
      expect(out).toMatch(/leaf\.pem: good/);
      expect(out).toMatch(/Response Extensions:\s+OCSP Nonce:/);
      const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
      expect(new Date(/This Update: (.*)$/m.exec(out)?.[1] ?? '').getTime()).toBe(whole.getTime());
      expect(new Date(/Next Update: (.*)$/m.exec(out)?.[1] ?? '').getTime()).toBe(
        whole.getTime() + 86_400_000,
      );
    },
  );

  it.skipIf(!requireTools('openssl'))('answers at the server’s root as well', async () => {
    const out = await openssl([
      ...['ocsp', '-issuer', path('root.pem'), '-cert', path('leaf.pem')],
      ...['-url', responder.url.replace(/\/ocsp$/, ''), '-CAfile', path('root.pem')],
    ]);
    expect(out).toMatch(/Response verify OK/);
    expect(out).toMatch(/leaf\.pem: good/);
  });

  it.skipIf(!requireTools('openssl'))('answers revoked for a serial it is told is revoked', async () => {
    revoked.set(leafSerial, new Date(instant.getTime() - 60_000));
    try {
      const out = await ask(path('leaf.pem'));
      expect(out).toMatch(/Response verify OK/);
      expect(out).toMatch(/leaf\.pem: revoked/);
      expect(out).toMatch(/Revocation Time:/);
    } finally {
      revoked.delete(leafSerial);
    }
  });

  it.skipIf(!requireTools('openssl'))('answers unknown for a serial it never issued', async () => {
    // The CertID names this root (openssl hashes -issuer) with another CA's serial.
    const out = await ask(path('foreign.pem'));
    expect(out).toMatch(/Response verify OK/);
    expect(out).toMatch(/foreign\.pem: unknown/);
  });

  it.skipIf(!requireTools('openssl'))('answers unknown for a certificate of another CA', async () => {
    const out = await openssl([
      ...['ocsp', '-issuer', path('foreign-root.pem'), '-cert', path('foreign.pem'), '-url', responder.url],
      ...['-CAfile', path('root.pem')],
    ]);
    expect(out).toMatch(/foreign\.pem: unknown/);
  });

  it.skipIf(!requireTools('openssl'))('answers a GET with the base64 request in its path', async () => {
    await openssl([
      ...['ocsp', '-issuer', path('root.pem'), '-cert', path('leaf.pem'), '-no_nonce'],
      ...['-reqout', path('get.req')],
    ]);
    const encoded = encodeURIComponent(readFileSync(path('get.req')).toString('base64'));
    const response = await fetch(`${responder.url}/${encoded}`);
    expect(response.status).toBe(200);
    writeFileSync(path('get.resp'), new Uint8Array(await response.arrayBuffer()));
    const out = await openssl([
      ...['ocsp', '-respin', path('get.resp'), '-issuer', path('root.pem'), '-cert', path('leaf.pem')],
      ...['-CAfile', path('root.pem')],
    ]);
    expect(out).toMatch(/Response verify OK/);
    expect(out).toMatch(/leaf\.pem: good/);
  });

  it.skipIf(!requireTools('openssl'))('answers malformedRequest to what is not a request', async () => {
    const reply = await fetch(responder.url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: 'not a request',
    });
    expect(reply.status).toBe(200);
    writeFileSync(path('bad.resp'), new Uint8Array(await reply.arrayBuffer()));
    const out = await openssl(['ocsp', '-respin', path('bad.resp'), '-resp_text', '-noverify']);
    expect(out).toMatch(/malformedrequest \(1\)/);
    const wrongType = await fetch(responder.url, { method: 'POST', body: 'x' });
    expect(wrongType.status).toBe(400);
    expect((await fetch(`${responder.url}/%%%`)).status).toBe(400);
  });
});
