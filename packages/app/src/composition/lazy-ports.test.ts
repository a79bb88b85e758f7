import {
  type CertificateData,
  type DocumentSealer,
  type DocumentVerifier,
  type ProcedureId,
  type Sha256Hex,
  sealingError,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { lazyCertificateRenderer, lazyDocumentSealer, lazyDocumentVerifier } from './lazy-ports.js';

const sealer: DocumentSealer = {
  inspect: () => TE.right({ pageCount: 2 }),
  seal: (request) => TE.right(request.document),
};
const hash = 'a'.repeat(64) as Sha256Hex;

describe('ports whose adapter is built at their first call', () => {
  it('builds nothing until a task runs, then builds once for every port call after', async () => {
    let builds = 0;
    const lazy = lazyDocumentSealer(async () => {
      builds += 1;
      return sealer;
    });
    const inspect = lazy.inspect(new Uint8Array([1]));
    expect(builds).toBe(0);
    expect(await inspect()).toStrictEqual(E.right({ pageCount: 2 }));
    const request = {
      document: new Uint8Array([7]),
      procedureId: 'p1' as ProcedureId,
      signerName: 'Claire',
      signedAt: new Date(0),
      timeZone: 'Europe/Paris',
      language: 'fr' as const,
      originalSha256: hash,
    };
    await Promise.all([lazy.seal(request)(), lazy.seal(request)(), inspect()]);
    expect(builds).toBe(1);
  });

  it('answers a build that fails with SEALING_FAILURE, and builds again at the next call', async () => {
    let builds = 0;
    const verifier: DocumentVerifier = {
      verify: () =>
        TE.right({
          valid: true,
          signatures: [],
          sha256: hash,
          originalMatches: true,
          signedMatches: true,
          checks: [],
        }),
    };
    const lazy = lazyDocumentVerifier(async () => {
      builds += 1;
      if (builds === 1) throw new Error('the PDF entry point did not load');
      return verifier;
    });
    const expected = { originalSha256: hash, signedSha256: hash };
    expect(await lazy.verify(new Uint8Array(), expected)()).toMatchObject({
      left: { code: 'SEALING_FAILURE', details: { reason: 'the PDF entry point did not load' } },
    });
    expect(await lazy.verify(new Uint8Array(), expected)()).toMatchObject({ right: { valid: true } });
    expect(builds).toBe(2);
  });

  it('passes the adapter’s own answer through, Left as Left', async () => {
    const refused = sealingError('SEALING_FAILURE', { reason: 'x' }, true);
    const renderer = lazyCertificateRenderer(async () => ({ render: () => TE.left(refused) }));
    expect(await renderer.render({} as CertificateData)()).toStrictEqual(E.left(refused));
  });
});
