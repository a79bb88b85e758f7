import { describe, expect, it } from 'vitest';
import { csrfAccepted, csrfTokenFor } from './csrf.js';

const secret = 's'.repeat(32);
const token = 'T'.repeat(43);
const good = csrfTokenFor(secret, token);

describe('csrfAccepted', () => {
  it('accepts the link’s value in both the field and the cookie', () => {
    expect(csrfAccepted(secret, token, { field: good, cookie: good, fetchSite: 'same-origin' })).toBe(true);
    expect(csrfAccepted(secret, token, { field: good, cookie: good, fetchSite: undefined })).toBe(true);
  });

  it('refuses a missing or different field or cookie, another link’s value, another secret, and cross-site requests', () => {
    const other = csrfTokenFor(secret, 'U'.repeat(43));
    for (const evidence of [
      { field: undefined, cookie: good, fetchSite: undefined },
      { field: good, cookie: undefined, fetchSite: undefined },
      { field: other, cookie: other, fetchSite: undefined },
      { field: good, cookie: `${good}x`, fetchSite: undefined },
      { field: csrfTokenFor('t'.repeat(32), token), cookie: good, fetchSite: undefined },
      { field: good, cookie: good, fetchSite: 'cross-site' },
    ])
      expect(csrfAccepted(secret, token, evidence)).toBe(false);
  });
});
