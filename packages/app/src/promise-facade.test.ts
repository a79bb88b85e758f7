import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeAdjustableClock,
  makeInMemoryMailer,
  makeInMemorySmsSender,
  makeSeededRandom,
} from '@paraphe/adapters';
import { makePadesDocumentSealer, makePdfCertificateRenderer } from '@paraphe/adapters/pdf';
import type { CrmUser, LifecycleNotification, Quote } from '@paraphe/domain';
import { afterAll, describe, expect, it } from 'vitest';
import type { AsyncQuoteSource } from './async-ports.js';
import { createParapheAsync } from './create-paraphe-async.js';
import type { ParapheAsync } from './promise-facade.js';
import {
  admin,
  completeContact,
  makeQuotePdf,
  START,
  sealingConfig,
  seller,
  TENANT,
} from './test-support/harness.js';
import { sendInput } from './test-support/story.js';

const directory = mkdtempSync(join(tmpdir(), 'paraphe-promises-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A CRM written the way most Node teams write one: async functions over its own data. */
const asyncCrm = async () => {
  const quotes = new Map<string, Quote>();
  const users = new Map<string, CrmUser>([
    ['bob', { id: 'bob', name: 'Bob Leroy', email: 'bob@acme.example' }],
  ]);
  const pdf = await makeQuotePdf();
  quotes.set('q1', {
    id: 'q1',
    tenantId: TENANT,
    number: 'D-q1',
    ownerId: 'bob',
    contact: completeContact,
    document: { fileName: 'q1.pdf', bytes: pdf },
  });
  const followUps: string[] = [];
  let down = false;
  const crm: AsyncQuoteSource = {
    getQuote: async (tenantId, quoteId) => {
      if (down) throw new Error('CRM unavailable');
      return tenantId === TENANT ? (quotes.get(quoteId) ?? null) : null;
    },
    getUser: async (tenantId, userId) => (tenantId === TENANT ? (users.get(userId) ?? null) : null),
    createFollowUpAction: async (action) => {
      followUps.push(action.id);
    },
  };
  return { crm, followUps, setDown: (value: boolean) => (down = value) };
};

const start = async () => {
  const world = await asyncCrm();
  const mailer = makeInMemoryMailer();
  const sms = makeInMemorySmsSender();
  const notifications: LifecycleNotification[] = [];
  const sealing = await sealingConfig();
  const created = await createParapheAsync({
    crm: world.crm,
    notifier: { notify: async (n) => void notifications.push(n) },
    config: {
      signingBaseUrl: 'https://crm.example.com/sign/',
      secretKey: 'promise-tests-secret-key-0123456789abcdef',
      storage: { kind: 'sqlite', filename: join(directory, `${Math.random()}.db`) },
    },
    adapters: {
      clock: makeAdjustableClock(START),
      random: makeSeededRandom('promises'),
      mailer,
      sms,
      sealer: makePadesDocumentSealer(sealing),
      certificates: makePdfCertificateRenderer(sealing),
    },
  });
  if (!created.ok) throw new Error(created.error.code);
  return { paraphe: created.value, mailer, sms, notifications, ...world };
};

const value = <A>(result: { readonly ok: boolean; readonly value?: A; readonly error?: unknown }): A => {
  if (!result.ok) throw new Error(`Expected ok, got ${JSON.stringify(result.error)}`);
  return result.value as A;
};

describe('the Promise API', () => {
  it('covers every call of the fp-ts facade, area by area, and each returns a promise', async () => {
    const { paraphe } = await start();
    for (const area of ['admin', 'sender', 'signer', 'system'] as const) {
      const fpNames = Object.keys(paraphe.taskEither[area]).sort();
      expect(fpNames.length).toBeGreaterThan(0);
      expect(Object.keys(paraphe[area]).sort()).toEqual(fpNames);
    }
    const pending = (paraphe.sender as ParapheAsync['sender']).getCredits(seller);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    await paraphe.close();
  });

  it('tells the whole story with await, on SQLite, with a CRM of async functions', async () => {
    const { paraphe, mailer, sms, followUps, notifications } = await start();
    value(await paraphe.admin.activate(admin));
    value(await paraphe.admin.orderCredits(admin, { quantity: 2, orderReference: 'PO-1' }));
    const sent = value(await paraphe.sender.send(seller, sendInput('q1', { idempotencyKey: 'crm-send-1' })));
    expect(sent.status).toBe('sent');
    const link = mailer.sent.find((m) => m.kind === 'invitation')?.template?.signingLink ?? '';
    const token = link.slice(link.lastIndexOf('/') + 1);
    value(await paraphe.signer.open(token));
    value(await paraphe.signer.requestCode(token));
    const code = sms.sent.at(-1)?.text.match(/\d{6}/)?.[0] ?? '';
    expect(value(await paraphe.signer.verifyCode(token, code))).toEqual({ outcome: 'verified' });
    expect(value(await paraphe.signer.sign(token, true)).status).toBe('signed');
    const pdf = value(await paraphe.sender.downloadSignedDocument(seller, sent.id));
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    value(await paraphe.system.runPeriodicJobs());
    expect(followUps).toHaveLength(1);
    expect(notifications.map((n) => n.status)).toContain('signed');
    await paraphe.close();
  });

  it('resolves a business refusal and a CRM that throws to { ok: false }, never a rejection', async () => {
    const { paraphe, setDown } = await start();
    expect(await paraphe.sender.send(seller, sendInput('q1'))).toMatchObject({
      ok: false,
      error: { code: 'SEND_REFUSED' },
    });
    value(await paraphe.admin.activate(admin));
    setDown(true);
    expect(await paraphe.sender.send(seller, sendInput('q1'))).toMatchObject({
      ok: false,
      error: { code: 'CRM_FAILURE' },
    });
    expect(await paraphe.sender.getProcedure(seller, 42 as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    await paraphe.close();
  });
});
