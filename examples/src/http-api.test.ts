import { afterEach, describe, expect, it } from 'vitest';
import { makeSigningFixture, type SigningFixture, TENANT } from './http-fixture.js';
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

type Who = 'seller' | 'admin' | 'nobody';
/** Calls the API as the CRM's code would: JSON on every write, the actor's bearer token unless `nobody`. */
const call = (f: SigningFixture, who: Who, method: string, path: string, body?: unknown, raw?: string) => {
  const writes = method === 'POST' || method === 'PATCH';
  return f.app.request(path, {
    method,
    headers: {
      ...(who === 'nobody' ? {} : { authorization: `Bearer ${who}-token` }),
      ...(writes ? { 'content-type': 'application/json' } : {}),
    },
    ...(!writes
      ? {}
      : raw !== undefined
        ? { body: raw }
        : body === undefined
          ? {}
          : { body: JSON.stringify(body) }),
  });
};
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

const endpoints: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/api/quotes/q/check'],
  ['POST', '/api/procedures'],
  ['GET', '/api/procedures/p'],
  ['GET', '/api/quotes/q/procedures'],
  ['POST', '/api/procedures/p/cancel'],
  ['GET', '/api/procedures/p/signed.pdf'],
  ['GET', '/api/procedures/p/certificate.pdf'],
  ['GET', '/api/procedures/p/status'],
  ['POST', '/api/credits'],
  ['PATCH', '/api/settings'],
  ['POST', '/api/activation'],
  ['DELETE', '/api/activation'],
];

describe('the sender API', () => {
  it('answers 401 to every endpoint when the CRM names no actor', async () => {
    const f = await fresh();
    for (const [method, path] of endpoints) {
      const response = await call(f, 'nobody', method, path, {});
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await json(response)).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: { fr: expect.any(String) },
      });
    }
  });

  it('answers 403 FORBIDDEN to a user on the admin endpoints', async () => {
    const f = await fresh();
    for (const [method, path, body] of [
      ['POST', '/api/credits', { quantity: 5, orderReference: 'PO-1' }],
      ['PATCH', '/api/settings', { procedureLifetimeDays: 10 }],
      ['POST', '/api/activation', {}],
      ['DELETE', '/api/activation', undefined],
    ] as const) {
      const response = await call(f, 'seller', method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await json(response)).toMatchObject({
        code: 'FORBIDDEN',
        message: { en: 'You are not allowed to do this' },
      });
    }
  });

  it('answers 400 INVALID_INPUT naming the fields of a malformed body, 415 to a non-JSON write', async () => {
    const f = await fresh();
    const notJson = await call(f, 'seller', 'POST', '/api/procedures', undefined, '{"quoteId":');
    expect(notJson.status).toBe(400);
    expect(await json(notJson)).toMatchObject({ code: 'INVALID_INPUT', fields: ['(body)'] });
    const missing = await call(f, 'seller', 'POST', '/api/procedures', { quoteId: 'q', subject: 42 });
    expect(missing.status).toBe(400);
    expect(await json(missing)).toEqual({
      code: 'INVALID_INPUT',
      message: { fr: 'Les données fournies ne sont pas valides', en: 'The data given is not valid' },
      fields: ['subject', 'body'],
    });
    const credits = await call(f, 'admin', 'POST', '/api/credits', { quantity: 1.5, orderReference: '' });
    expect(await json(credits)).toMatchObject({
      code: 'INVALID_INPUT',
      fields: ['quantity', 'orderReference'],
    });
    const settings = await call(f, 'admin', 'PATCH', '/api/settings', [1, 2]);
    expect(settings.status).toBe(400);
    const badSetting = await call(f, 'admin', 'PATCH', '/api/settings', { procedureLifetimeDays: 0 });
    expect(badSetting.status).toBe(400);
    expect(await json(badSetting)).toMatchObject({ code: 'INVALID_INPUT' });
    const form = await f.app.request('/api/procedures/p/cancel', {
      method: 'POST',
      headers: { authorization: 'Bearer seller-token', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(form.status).toBe(415);
    const crossSite = await f.app.request('/api/activation', {
      method: 'POST',
      headers: {
        authorization: 'Bearer admin-token',
        'content-type': 'application/json',
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(crossSite.status).toBe(403);
  });

  it('checks, sends, follows, cancels, and maps refusals to 404, 409 and 422 with every reason', async () => {
    const f = await fresh();
    expect(await json(await call(f, 'seller', 'GET', '/api/quotes/nope/check'))).toMatchObject({
      code: 'QUOTE_NOT_FOUND',
    });
    f.crm.putQuote({
      id: 'bare',
      tenantId: TENANT,
      number: 'D-BARE',
      ownerId: 'u-seller',
      contact: { id: 'c', firstName: 'A', lastName: 'B' },
      document: { fileName: 'bare.pdf', bytes: new Uint8Array() },
    });
    const check = await json(await call(f, 'seller', 'GET', '/api/quotes/bare/check'));
    expect(check.sendable).toBe(false);
    expect((check.reasons as Array<{ code: string }>).map((r) => r.code)).toEqual(
      expect.arrayContaining(['CONTACT_EMAIL_MISSING', 'CONTACT_MOBILE_MISSING']),
    );
    const refused = await call(f, 'seller', 'POST', '/api/procedures', {
      quoteId: 'bare',
      subject: 'S',
      body: 'B',
    });
    expect(refused.status).toBe(422);
    expect(await json(refused)).toMatchObject({ code: 'SEND_REFUSED', reasons: expect.any(Array) });

    const { procedureId } = await f.sendQuote('0070');
    expect(await json(await call(f, 'seller', 'GET', '/api/quotes/0070/check'))).toMatchObject({
      sendable: false,
      reasons: [{ code: 'PROCEDURE_IN_PROGRESS_OR_SIGNED' }],
    });
    const status = await call(f, 'seller', 'GET', `/api/procedures/${procedureId}/status`);
    expect(await json(status)).toEqual({ id: procedureId, status: 'sent', deadline: expect.any(String) });
    const list = await json(await call(f, 'seller', 'GET', '/api/quotes/0070/procedures'));
    expect((list.procedures as unknown[]).length).toBe(1);
    expect((await call(f, 'seller', 'GET', `/api/procedures/${procedureId}/signed.pdf`)).status).toBe(409);
    expect((await call(f, 'seller', 'GET', '/api/procedures/unknown')).status).toBe(404);
    const cancelled = await call(f, 'seller', 'POST', `/api/procedures/${procedureId}/cancel`);
    expect(await json(cancelled)).toMatchObject({ status: 'cancelled' });
    const again = await call(f, 'seller', 'POST', `/api/procedures/${procedureId}/cancel`);
    expect(again.status).toBe(409);

    f.crm.putQuote({ ...f.crm.quote(TENANT, '0070')!, id: '0071' });
    const sent = await call(f, 'seller', 'POST', '/api/procedures', {
      quoteId: '0071',
      subject: 'S',
      body: 'B',
      idempotencyKey: 'k-1',
    });
    expect(sent.status).toBe(201);
    const view = await json(sent);
    expect(sent.headers.get('location')).toBe(`/api/procedures/${view.id as string}`);
    const replay = await call(f, 'seller', 'POST', '/api/procedures', {
      quoteId: '0071',
      subject: 'S',
      body: 'B',
      idempotencyKey: 'k-1',
    });
    expect((await json(replay)).id).toBe(view.id);
  });

  it('downloads the signed PDF and the certificate once signed', async () => {
    const f = await fresh();
    const { token, procedureId } = await f.sendQuote('0072');
    const browser = makeFormClient(f.app, `/sign/${token}`);
    await browser.open();
    await browser.submit('code');
    await browser.submit('verify', { code: f.lastCode(procedureId) });
    await browser.submit('sign', { consent: 'yes' });
    for (const file of ['signed.pdf', 'certificate.pdf']) {
      const response = await call(f, 'seller', 'GET', `/api/procedures/${procedureId}/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
      expect(
        Buffer.from(await response.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
  });

  it('lets an admin order credits, change settings and switch e-signature off and on', async () => {
    const f = await fresh();
    const ordered = await call(f, 'admin', 'POST', '/api/credits', { quantity: 5, orderReference: 'PO-2' });
    expect(ordered.status).toBe(201);
    expect(await json(ordered)).toMatchObject({ purchased: 55, available: 55 });
    expect(
      (await call(f, 'admin', 'POST', '/api/credits', { quantity: 0, orderReference: 'PO-3' })).status,
    ).toBe(400);
    expect(
      await json(await call(f, 'admin', 'PATCH', '/api/settings', { procedureLifetimeDays: 30 })),
    ).toMatchObject({
      procedureLifetimeDays: 30,
    });
    expect(await json(await call(f, 'admin', 'DELETE', '/api/activation'))).toMatchObject({
      esignatureActive: false,
    });
    expect(await json(await call(f, 'admin', 'POST', '/api/activation', {}))).toMatchObject({
      esignatureActive: true,
    });
  });
});

describe('the development outbox', () => {
  it('lists what was sent when enabled, and does not exist otherwise', async () => {
    const f = await fresh();
    await f.sendQuote('0080');
    const outbox = await json(await f.app.request('/_dev/outbox'));
    expect((outbox.emails as unknown[]).length).toBe(1);
    await f.paraphe.close();
    const closed = await fresh({ devOutbox: false });
    expect((await closed.app.request('/_dev/outbox')).status).toBe(404);
  });
});
