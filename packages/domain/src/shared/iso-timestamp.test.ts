import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.js';

describe('isoTimestamp', () => {
  it('writes exactly what toISOString writes, for any valid date', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // Years 1970–9999 take the fast path; the others fall back to toISOString.
          fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
          fc.date({ noInvalidDate: true }),
        ),
        (at) => {
          expect(isoTimestamp(at)).toBe(at.toISOString());
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('is exact at the edges of its fast range and around leap days', () => {
    for (const text of [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:34:56.007Z',
      '2100-03-01T00:00:00.090Z',
      '2024-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
    ]) {
      expect(isoTimestamp(new Date(text))).toBe(new Date(text).toISOString());
    }
  });

  it('throws on an invalid date, as toISOString does', () => {
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
