import { defaultTenantSettings, type UserActor } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { admin, left, makeHarness, right, seller, TENANT } from '../test-support/harness.js';
import { expectRefusedUnchanged } from '../test-support/observe.js';
import { scopeOf } from '../test-support/story.js';

const scope = scopeOf();
const malformedActors: ReadonlyArray<unknown> = [
  undefined,
  null,
  'alice',
  { ...admin, role: 'root' },
  { ...admin, tenantId: '' },
  { ...admin, userId: '   ' },
  { ...admin, kind: 'system' },
  { tenantId: TENANT, userId: 'alice', role: 'admin' },
];

describe('admin use cases', () => {
  it('activates and deactivates e-signature, keeping the other settings', async () => {
    const h = await makeHarness();
    const { admin: a } = h.paraphe;
    expect((await right(h.paraphe.sender.getSettings(seller))).esignatureActive).toBe(false);
    await right(a.updateSettings(admin, { procedureLifetimeDays: 30 }));
    expect(await right(a.activate(admin))).toEqual({
      ...defaultTenantSettings(TENANT),
      procedureLifetimeDays: 30,
      esignatureActive: true,
    });
    expect((await right(a.deactivate(admin))).esignatureActive).toBe(false);
    expect((await right(h.paraphe.sender.getSettings(seller))).procedureLifetimeDays).toBe(30);
  });

  it('orders credits, adding to what was bought', async () => {
    const h = await makeHarness();
    await right(h.paraphe.admin.orderCredits(admin, { quantity: 5, orderReference: 'PO-1' }));
    expect(
      await right(h.paraphe.admin.orderCredits(admin, { quantity: 1_000_000, orderReference: 'PO-2' })),
    ).toEqual({
      purchased: 1_000_005,
      available: 1_000_005,
      reserved: 0,
      captured: 0,
    });
  });

  it('merges settings one level deep and decodes the result whole', async () => {
    const h = await makeHarness();
    const updated = await right(
      h.paraphe.admin.updateSettings(admin, {
        smsCode: { digits: 8 },
        followUp: { assignee: { kind: 'user', userId: 'carol' } },
        timeZone: 'America/New_York',
        language: 'en',
      }),
    );
    const defaults = defaultTenantSettings(TENANT);
    expect(updated).toEqual({
      ...defaults,
      smsCode: { ...defaults.smsCode, digits: 8 },
      followUp: { ...defaults.followUp, assignee: { kind: 'user', userId: 'carol' } },
      timeZone: 'America/New_York',
      language: 'en',
    });
    expect(await right(h.paraphe.sender.getSettings(seller))).toEqual(updated);
  });

  it('refuses esignatureActive in updateSettings, naming it (activate and deactivate set it), and changes nothing', async () => {
    const h = await makeHarness();
    for (const esignatureActive of [true, false]) {
      const error = await left(h.paraphe.admin.updateSettings(admin, { esignatureActive, language: 'en' }));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { fields: 'esignatureActive' } });
    }
    expect(await right(h.paraphe.sender.getSettings(seller))).toMatchObject({
      esignatureActive: false,
      language: 'fr',
    });
  });

  it('refuses a phone region libphonenumber does not know, and inherited keys', async () => {
    const h = await makeHarness();
    for (const region of ['ZZ', 'XX', 'fr', 'FRA', 33])
      expect(await left(h.paraphe.admin.updateSettings(admin, { defaultPhoneRegion: region }))).toMatchObject(
        {
          code: 'INVALID_INPUT',
        },
      );
    for (const changes of [JSON.parse('{"__proto__": {"language": "en"}}'), { constructor: {} }])
      expect(await left(h.paraphe.admin.updateSettings(admin, changes))).toMatchObject({
        code: 'INVALID_INPUT',
      });
    expect(
      (await right(h.paraphe.admin.updateSettings(admin, { defaultPhoneRegion: 'BE' }))).defaultPhoneRegion,
    ).toBe('BE');
  });

  describe('refusals leave everything as it was', () => {
    const actions = {
      activate: (h: Awaited<ReturnType<typeof makeHarness>>, actor: UserActor) =>
        h.paraphe.admin.activate(actor),
      deactivate: (h: Awaited<ReturnType<typeof makeHarness>>, actor: UserActor) =>
        h.paraphe.admin.deactivate(actor),
      orderCredits: (h: Awaited<ReturnType<typeof makeHarness>>, actor: UserActor) =>
        h.paraphe.admin.orderCredits(actor, { quantity: 1, orderReference: 'PO' }),
      updateSettings: (h: Awaited<ReturnType<typeof makeHarness>>, actor: UserActor) =>
        h.paraphe.admin.updateSettings(actor, { procedureLifetimeDays: 3 }),
    };

    for (const [name, action] of Object.entries(actions)) {
      it(`${name}: FORBIDDEN for a user, INVALID_INPUT for a malformed actor`, async () => {
        const h = await makeHarness();
        await right(h.paraphe.admin.updateSettings(admin, { procedureLifetimeDays: 20 }));
        await expectRefusedUnchanged(h, scope, 'FORBIDDEN', action(h, seller));
        for (const actor of malformedActors) {
          await expectRefusedUnchanged(h, scope, 'INVALID_INPUT', action(h, actor as UserActor));
        }
      });
    }

    it('orderCredits: INVALID_INPUT for a bad quantity or reference', async () => {
      const h = await makeHarness();
      const orders: ReadonlyArray<unknown> = [
        { quantity: 0, orderReference: 'PO' },
        { quantity: -1, orderReference: 'PO' },
        { quantity: 1.5, orderReference: 'PO' },
        { quantity: 1_000_001, orderReference: 'PO' },
        { quantity: Number.NaN, orderReference: 'PO' },
        { quantity: '3', orderReference: 'PO' },
        { quantity: 3 },
        { quantity: 3, orderReference: '  ' },
        null,
      ];
      for (const order of orders) {
        await expectRefusedUnchanged(h, scope, 'INVALID_INPUT', () =>
          h.paraphe.admin.orderCredits(admin, order as { quantity: number; orderReference: string })(),
        );
      }
    });

    it('updateSettings: INVALID_INPUT for an unknown value, a bad time zone or an unknown field', async () => {
      const h = await makeHarness();
      await right(h.paraphe.admin.activate(admin));
      const changes: ReadonlyArray<unknown> = [
        { language: 'de' },
        { timeZone: 'Mars/Olympus_Mons' },
        { procedureLifetimeDays: 0 },
        { procedureLifetimeDays: 366 },
        { smsCode: { digits: 4 } },
        { smsCode: { resendCooldownSeconds: 1 } },
        { defaultPhoneRegion: 'france' },
        { reminders: { intervalDays: 3 } },
        { followUp: { assignee: { kind: 'user' } } },
        { followUp: { dueInDays: -1 } },
        { tenantName: '' },
        // A misspelt field would otherwise be accepted and do nothing.
        { procedureLifetimeDay: 30 },
        { smsCode: { digit: 8 } },
        null,
        'procedureLifetimeDays=3',
        [],
      ];
      for (const change of changes) {
        const error = await expectRefusedUnchanged(
          h,
          scope,
          'INVALID_INPUT',
          h.paraphe.admin.updateSettings(admin, change),
        );
        expect(error.details?.fields, JSON.stringify(change)).toBeTruthy();
      }
      expect((await right(h.paraphe.sender.getSettings(seller))).esignatureActive).toBe(true);
    });
  });

  it('keeps each tenant to its own settings and credits', async () => {
    const h = await makeHarness();
    const otherAdmin: UserActor = { kind: 'user', tenantId: 'globex', userId: 'gina', role: 'admin' };
    await right(h.paraphe.admin.activate(otherAdmin));
    await right(h.paraphe.admin.orderCredits(otherAdmin, { quantity: 4, orderReference: 'G-1' }));
    expect((await right(h.paraphe.sender.getSettings(seller))).esignatureActive).toBe(false);
    expect((await right(h.paraphe.sender.getCredits(seller))).purchased).toBe(0);
    expect((await left(h.paraphe.admin.activate({ ...seller, tenantId: 'globex' }))).code).toBe('FORBIDDEN');
  });
});
