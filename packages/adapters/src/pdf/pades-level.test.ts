import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { atLeast, PADES_LEVELS, padesLevelOf } from './pades-level.js';

const level = fc.constantFrom(...PADES_LEVELS);

describe('PAdES levels', () => {
  it('default to B-T with a TSA and B-B without; above B-B a TSA is required', () => {
    fc.assert(
      fc.property(fc.option(level, { nil: undefined }), fc.boolean(), (asked, withTsa) => {
        const result = padesLevelOf({
          ...(asked === undefined ? {} : { level: asked }),
          ...(withTsa ? { timestampAuthority: { url: 'http://127.0.0.1/tsa' } } : {}),
        });
        const expected = asked ?? (withTsa ? 'B-T' : 'B-B');
        if (expected !== 'B-B' && !withTsa)
          expect(result).toEqual(E.left(expect.objectContaining({ code: 'INVALID_CONFIG' })));
        else expect(result).toEqual(E.right(expected));
      }),
    );
  });

  it('are ordered B-B < B-T < B-LT < B-LTA', () => {
    fc.assert(
      fc.property(level, level, (a, b) => {
        expect(atLeast(a, b)).toBe(PADES_LEVELS.indexOf(a) >= PADES_LEVELS.indexOf(b));
        expect(atLeast(a, b) || atLeast(b, a)).toBe(true);
      }),
    );
  });
});
