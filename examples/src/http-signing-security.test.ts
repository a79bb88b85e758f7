import { makeSigningApp } from '@paraphe/adapters/http';
import type { SignerUseCases } from '@paraphe/domain';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSigningFixture, type SigningFixture } from './http-fixture.js';
import { makeFormClient } from './http-form-client.js';

let fixture: SigningFixture | undefined;
const fresh = async (options: Parameters<typeof makeSigningFixture>[0] = {}) => {
  fixture = await makeSigningFixture(options);
  return fixture;
};
afterEach(async () => {
  await fixture?.paraphe.close();
  fixture = undefined;
});

const byTestHeader = (request: Request) => request.headers.get('x-test-ip') ?? undefined;

describe('CSRF protection of the signer’s POSTs', () => {
  it('refuses a missing field, a forged field, a missing cookie, another link’s value and a cross-site request', async () => {
    const f = await fresh();
    const { token } = await f.sendQuote('0060');
    const other = await f.sendQuote('0061');
    const otherBrowser = makeFormClient(f.app, `/sign/${other.token}`);
    await otherBrowser.open();
    const browser = makeFormClient(f.app, `/sign/${token}`);
    await browser.open();
    const attempts = [
      await browser.post('code', {}, { csrf: null }),
      await browser.post('code', {}, { csrf: 'forged-value-forged-value-forged-value-0123' }),
      await browser.post('code', {}, { cookies: false }),
      await browser.post('code', {}, { csrf: otherBrowser.csrf() ?? '' }),
      await browser.post('code', {}, { headers: { 'sec-fetch-site': 'cross-site' } }),
      await browser.post('sign', { consent: 'yes' }, { csrf: null }),
      await browser.post('decline', {}, { csrf: null }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('Action refusée');
    }
    expect(f.sms.sent).toHaveLength(0);
    expect((await browser.post('code')).status).toBe(303);
    expect(f.sms.sent).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After to the request past the per-link limit on code requests', async () => {
    const f = await fresh({
      rateLimits: {
        codeRequests: { perToken: { limit: 3, windowMs: 60_000 }, perIp: { limit: 100, windowMs: 60_000 } },
      },
    });
    const { token } = await f.sendQuote('0062');
    const browser = makeFormClient(f.app, `/sign/${token}`);
    await browser.open();
    for (let i = 0; i < 3; i++) expect((await browser.post('code')).status).toBe(303);
    const refused = await browser.post('code');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('Trop de tentatives');
  });

  it('counts code requests per address across links, and verifications separately', async () => {
    const f = await fresh({
      clientAddress: byTestHeader,
      rateLimits: {
        codeRequests: { perToken: { limit: 10, windowMs: 60_000 }, perIp: { limit: 2, windowMs: 60_000 } },
        verifications: { perToken: { limit: 2, windowMs: 60_000 }, perIp: { limit: 10, windowMs: 60_000 } },
      },
    });
    const first = await f.sendQuote('0063');
    const second = await f.sendQuote('0064');
    const a = makeFormClient(f.app, `/sign/${first.token}`, { 'x-test-ip': '203.0.113.7' });
    const b = makeFormClient(f.app, `/sign/${second.token}`, { 'x-test-ip': '203.0.113.7' });
    const elsewhere = makeFormClient(f.app, `/sign/${second.token}`, { 'x-test-ip': '198.51.100.9' });
    await Promise.all([a.open(), b.open(), elsewhere.open()]);
    expect((await a.post('code')).status).toBe(303);
    expect((await b.post('code')).status).toBe(303);
    expect((await b.post('code')).status).toBe(429);
    expect((await elsewhere.post('code')).status).toBe(303);
    expect((await a.post('verify', { code: '000000' })).status).toBe(303);
    expect((await a.post('verify', { code: '000000' })).status).toBe(303);
    expect((await a.post('verify', { code: '000000' })).status).toBe(429);
  });
});

describe('headers and failures', () => {
  it('puts the security headers on pages, documents, the API and not-found answers', async () => {
    const f = await fresh();
    const { token } = await f.sendQuote('0065');
    for (const path of [
      `/sign/${token}`,
      `/sign/${token}/document`,
      '/api/credits',
      '/nowhere',
      '/api/nowhere',
    ]) {
      const response = await f.app.request(path, { headers: { authorization: 'Bearer seller-token' } });
      expect(response.headers.get('content-security-policy'), path).toMatch(
        /^default-src 'self'; .*frame-ancestors/,
      );
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
    const page = await f.app.request(`/sign/${token}`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const document = await f.app.request(`/sign/${token}/document`);
    expect(document.headers.get('content-type')).toBe('application/pdf');
    expect(document.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(document.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });

  it('lets the host allow its own origin to frame the page, and rejects a header-breaking value', async () => {
    const f = await fresh();
    const deps = {
      signer: f.paraphe.signer,
      sender: f.paraphe.sender,
      admin: f.paraphe.admin,
      authenticate: async () => undefined,
      csrfSecret: 'x'.repeat(32),
    };
    const framed = makeSigningApp({ ...deps, frameAncestors: ['https://crm.example.com'] });
    const response = await framed.request('/sign/unknown-token-unknown-token-unknown');
    expect(response.headers.get('content-security-policy')).toContain(
      'frame-ancestors https://crm.example.com',
    );
    expect(() =>
      makeSigningApp({ ...deps, frameAncestors: ["https://a.example; script-src 'unsafe-inline'"] }),
    ).toThrow();
    expect(() => makeSigningApp({ ...deps, csrfSecret: 'short' })).toThrow();
  });

  it('shows a generic page, never a stack trace, when a use case throws', async () => {
    const f = await fresh();
    const reported: unknown[] = [];
    const exploding = {
      ...f.paraphe.signer,
      open: () => () => Promise.reject(new Error('SECRET internal detail at /srv/app.js:42')),
    } as SignerUseCases;
    const app = makeSigningApp({
      signer: exploding,
      sender: f.paraphe.sender,
      admin: f.paraphe.admin,
      authenticate: async () => undefined,
      csrfSecret: 'x'.repeat(32),
      onError: (error) => reported.push(error),
    });
    const response = await app.request(`/sign/${'A'.repeat(43)}`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain('Une erreur est survenue');
    expect(body).not.toContain('SECRET');
    expect(reported).toHaveLength(1);
  });

  it('mounts under a prefix of the host’s server, forms and redirects included', async () => {
    const f = await fresh();
    const { token } = await f.sendQuote('0066');

    const host = new Hono().route('/esign', f.app);
    const browser = makeFormClient(host as unknown as typeof f.app, `/esign/sign/${token}`);
    const { html } = await browser.open();
    expect(html).toContain(`action="/esign/sign/${token}/code"`);
    const response = await browser.post('code');
    expect(response.headers.get('location')).toBe(`/esign/sign/${token}`);
  });
});
