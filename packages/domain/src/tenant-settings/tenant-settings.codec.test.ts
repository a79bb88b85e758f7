import { describe, expect, it } from 'vitest';
import { belongsTo, canAdminister } from '../shared/actor.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { admin, sender } from '../test-support/fixtures.js';
import { decodeTenantSettings } from './tenant-settings.codec.js';
import { defaultFollowUpTitle, defaultSmsCodePolicy, defaultTenantSettings } from './tenant-settings.js';

describe('tenant settings', () => {
  it('default to e-signature off, 15 days, FR, French, follow-up on, and the SMS code policy of the design', () => {
    const settings = defaultTenantSettings('Acme');
    expect(settings).toMatchObject({
      esignatureActive: false,
      procedureLifetimeDays: 15,
      defaultPhoneRegion: 'FR',
      language: 'fr',
      timeZone: 'Europe/Paris',
      followUp: { enabled: true, assignee: { kind: 'sender' } },
      reminders: { enabled: false },
    });
    expect(defaultSmsCodePolicy).toEqual({
      digits: 6,
      validitySeconds: 300,
      maxWrongAttemptsPerCode: 3,
      resendCooldownSeconds: 30,
      maxCodesPerProcedure: 5,
    });
  });

  it('decode what an admin may save', () => {
    const settings = { ...defaultTenantSettings('Acme'), esignatureActive: true, defaultPhoneRegion: 'BE' };
    expect(assertRight(decodeTenantSettings(settings))).toEqual(settings);
  });

  it('refuse bad input with INVALID_INPUT naming the fields, never their values', () => {
    const error = assertLeft(
      decodeTenantSettings({
        ...defaultTenantSettings('Acme'),
        procedureLifetimeDays: 0,
        timeZone: 'Mars/Olympus',
        defaultPhoneRegion: 'fr',
        smsCode: { ...defaultSmsCodePolicy, digits: 4 },
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(String(error.details?.fields).split(', ').sort()).toEqual([
      'defaultPhoneRegion',
      'procedureLifetimeDays',
      'smsCode.digits',
      'timeZone',
    ]);
    expect(String(error.details?.fields)).not.toContain('Mars');
    expect(error.message).toEqual({
      fr: 'Les données fournies ne sont pas valides',
      en: 'The data given is not valid',
    });
    expect(assertLeft(decodeTenantSettings(null)).details).toEqual({ fields: '(root)' });
  });

  it('give the follow-up a default title in the tenant language', () => {
    expect(defaultFollowUpTitle('fr', 'Q-1')).toBe(
      "Vérifier la signature de l'offre Q-1, puis la marquer gagnée",
    );
    expect(defaultFollowUpTitle('en', 'Q-1')).toBe('Check the signature of quote Q-1, then mark it won');
  });
});

describe('actors', () => {
  it('lets only admins of the tenant administer it', () => {
    expect(canAdminister(admin, 'tenant-1')).toBe(true);
    expect(canAdminister(sender, 'tenant-1')).toBe(false);
    expect(canAdminister(admin, 'tenant-2')).toBe(false);
    expect(belongsTo(sender, 'tenant-1')).toBe(true);
    expect(belongsTo(sender, 'tenant-2')).toBe(false);
  });
});
