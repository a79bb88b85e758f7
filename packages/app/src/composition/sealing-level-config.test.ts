import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from './config.js';

const minimal = {
  signingBaseUrl: 'https://crm.example.com/sign/',
  secretKey: 'a-key-of-at-least-thirty-two-characters',
  storage: { kind: 'memory' },
} as const;

const pem = {
  kind: 'pem',
  privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n-----END PRIVATE KEY-----`,
  certificateChainPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
} as const;
const pkcs12 = { kind: 'pkcs12', pkcs12Base64: 'AAAA', passphrase: '' } as const;
const levels = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;

describe('the sealing level in the configuration', () => {
  it('takes each level; above B-B a TSA is required, else INVALID_CONFIG names sealing.timestampAuthorityUrl', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(pem, pkcs12),
        fc.constantFrom(...levels),
        fc.boolean(),
        (identity, level, withTsa) => {
          const tsa = withTsa ? { timestampAuthorityUrl: 'http://127.0.0.1:3180/tsa' } : {};
          const decoded = decodeConfig({ ...minimal, sealing: { ...identity, level, ...tsa } });
          if (level === 'B-B' || withTsa) {
            expect(E.isRight(decoded) && decoded.right.sealing.level).toBe(level);
          } else {
            expect(decoded).toMatchObject({
              left: { code: 'INVALID_CONFIG', details: { fields: 'sealing.timestampAuthorityUrl' } },
            });
          }
        },
      ),
    );
  });

  it('keeps the generated development identity at B-B: above, INVALID_CONFIG names sealing.level', () => {
    for (const level of levels) {
      const decoded = decodeConfig({ ...minimal, sealing: { kind: 'development', level } });
      if (level === 'B-B') expect(E.isRight(decoded) && decoded.right.sealing.level).toBe('B-B');
      else
        expect(decoded).toMatchObject({
          left: { code: 'INVALID_CONFIG', details: { fields: 'sealing.level' } },
        });
    }
  });

  it('refuses an unknown level, naming sealing.level; no level keeps the default', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !(levels as ReadonlyArray<string>).includes(s)),
        (level) => {
          const decoded = decodeConfig({ ...minimal, sealing: { kind: 'development', level } });
          expect(E.isLeft(decoded) && String(decoded.left.details?.fields)).toContain('sealing.level');
        },
      ),
    );
    const decoded = decodeConfig({ ...minimal, sealing: pem });
    expect(E.isRight(decoded) && decoded.right.sealing.level).toBeUndefined();
  });
});
