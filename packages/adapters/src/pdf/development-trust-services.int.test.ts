import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdjustableClock } from '../clock/clocks.js';
import {
  type DevelopmentTrustServices,
  startDevelopmentTrustServices,
} from './development-trust-services.js';
import { tempDir } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';

// Asynchronous: the services run in this process, so a synchronous child would block their answers.
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

describe.skipIf(!requireTools('openssl'))('development trust services', () => {
  const dir = tempDir('paraphe-dev-trust-');
  const path = (name: string) => join(dir, name);
  // Ten minutes back, so advancing it never dates a CRL or an answer after openssl's own clock.
  const clock = makeAdjustableClock(new Date(Math.floor(Date.now() / 1000) * 1000 - 600_000));
  let services: DevelopmentTrustServices;
  const status = (cert: string) =>
    openssl([
      ...['ocsp', '-issuer', path('root.pem'), '-cert', path(cert), '-url', services.ocspUrl],
      ...['-CAfile', path('root.pem')],
    ]);
  /** openssl's verdict on a certificate with the CRL fetched now (verifying the CRL's signature first). */
  const crlCheck = async (cert: string): Promise<string> => {
    const response = await fetch(services.crlUrl);
    writeFileSync(path('root.crl'), new Uint8Array(await response.arrayBuffer()));
    const crl = await openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      path('root.crl'),
      '-CAfile',
      path('root.pem'),
      '-noout',
    ]);
    expect(crl).toMatch(/verify OK/);
    await openssl(['crl', '-inform', 'DER', '-in', path('root.crl'), '-out', path('root-crl.pem')]);
    return openssl([
      ...['verify', '-crl_check', '-CRLfile', path('root-crl.pem'), '-CAfile', path('root.pem'), path(cert)],
    ]);
  };

  beforeAll(async () => {
    services = await startDevelopmentTrustServices({ clock, keyAlgorithm: 'ecdsa-p256' });
    writeFileSync(path('root.pem'), services.rootCertificatePem);
    writeFileSync(path('tsa.pem'), services.tsaCertificatePem);
    writeFileSync(path('leaf.pem'), services.identity.leafCertificatePem);
    writeFileSync(path('data.txt'), 'Quote #42');
  });
  afterAll(async () => {
    await services?.close();
  });

  it('label the root DEVELOPMENT and chain the leaf and the TSA to it, both naming the responder and the CRL', async () => {
    expect(await openssl(['x509', '-in', path('root.pem'), '-noout', '-subject'])).toMatch(/DEVELOPMENT/);
    for (const cert of ['leaf.pem', 'tsa.pem']) {
      expect(await openssl(['verify', '-CAfile', path('root.pem'), path(cert)])).toMatch(/: OK/);
      expect((await openssl(['x509', '-in', path(cert), '-noout', '-ocsp_uri'])).trim()).toBe(
        services.ocspUrl,
      );
      const points = await openssl(['x509', '-in', path(cert), '-noout', '-ext', 'crlDistributionPoints']);
      expect(points).toContain(`URI:${services.crlUrl}`);
    }
    expect(services.timestampAuthority.url).toBe(services.timestampAuthorityUrl);
  });

  it('answer good for the leaf and the TSA, unknown for a serial never issued', async () => {
    const leaf = await status('leaf.pem');
    expect(leaf).toMatch(/Response verify OK/);
    expect(leaf).toMatch(/leaf\.pem: good/);
    expect(await status('tsa.pem')).toMatch(/tsa\.pem: good/);
    const other = await openssl([
      ...['ocsp', '-issuer', path('root.pem'), '-serial', '0x0123456789', '-url', services.ocspUrl],
      ...['-CAfile', path('root.pem')],
    ]);
    expect(other).toMatch(/0x0123456789: unknown/);
  });

  it('publish a signed CRL that revokes nothing yet', async () => {
    expect(await crlCheck('leaf.pem')).toMatch(/leaf\.pem: OK/);
    expect(await crlCheck('tsa.pem')).toMatch(/tsa\.pem: OK/);
    expect(services.answered().crl).toBe(2);
  });

  it('time-stamp with a token openssl verifies against the root and the TSA certificate', async () => {
    await openssl(['ts', '-query', '-data', path('data.txt'), '-sha256', '-cert', '-out', path('q.tsq')]);
    const reply = await fetch(services.timestampAuthorityUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: readFileSync(path('q.tsq')),
    });
    writeFileSync(path('r.tsr'), new Uint8Array(await reply.arrayBuffer()));
    const verified = await openssl([
      ...['ts', '-verify', '-in', path('r.tsr'), '-data', path('data.txt')],
      ...['-CAfile', path('root.pem'), '-untrusted', path('tsa.pem')],
    ]);
    expect(verified).toMatch(/Verification: OK/);
    expect(services.answered().tsa).toBeGreaterThan(0);
  });

  it('answer revoked once told, from the time given', async () => {
    clock.advanceBy(60_000);
    services.revoke(services.identity.leafCertificatePem);
    const out = await status('leaf.pem');
    expect(out).toMatch(/leaf\.pem: revoked/);
    const shown = new Date(/Revocation Time: (.*)$/m.exec(out)?.[1] ?? '');
    expect(shown.getTime()).toBe(clock.now().getTime());
    expect(await status('tsa.pem')).toMatch(/tsa\.pem: good/);
    expect(await crlCheck('leaf.pem')).toMatch(/certificate revoked/);
    expect(await crlCheck('tsa.pem')).toMatch(/tsa\.pem: OK/);
  });

  it('take a serial as openssl prints it, 0x and upper case, and a date in the past', async () => {
    const serial = (await openssl(['x509', '-in', path('tsa.pem'), '-noout', '-serial']))
      .trim()
      .split('=')[1]!;
    const at = new Date(clock.now().getTime() - 3_600_000);
    services.revoke(`0x${serial.toUpperCase()}`, at);
    const out = await status('tsa.pem');
    expect(out).toMatch(/tsa\.pem: revoked/);
    expect(new Date(/Revocation Time: (.*)$/m.exec(out)?.[1] ?? '').getTime()).toBe(at.getTime());
  });
});

describe('development trust services lifecycle', () => {
  it('close every server: afterwards none accepts a connection', async () => {
    const services = await startDevelopmentTrustServices({ keyAlgorithm: 'ecdsa-p256' });
    const ocspAnswer = await fetch(services.ocspUrl, { method: 'POST', body: 'x' });
    expect(ocspAnswer.status).toBe(400);
    await services.close();
    await expect(fetch(services.ocspUrl, { method: 'POST', body: 'x' })).rejects.toThrow();
    await expect(fetch(services.timestampAuthorityUrl, { method: 'POST', body: 'x' })).rejects.toThrow();
    await expect(fetch(services.crlUrl)).rejects.toThrow();
  });
});
