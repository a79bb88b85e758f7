import { describe, expect, it } from 'vitest';
import { domainError, errorCodes, isDomainError, sendRefused } from './errors.js';

describe('error catalogue', () => {
  it.each(errorCodes)('%s has a non-empty French and English message that differ', (code) => {
    const { message } = domainError(code, { status: 'sent', retryAfterSeconds: 12 });
    expect(message.fr.trim()).not.toBe('');
    expect(message.en.trim()).not.toBe('');
    expect(message.fr).not.toBe(message.en);
  });

  it('gives every code its own message in each language', () => {
    const fr = errorCodes.map((code) => domainError(code).message.fr);
    const en = errorCodes.map((code) => domainError(code).message.en);
    expect(new Set(fr).size).toBe(errorCodes.length);
    expect(new Set(en).size).toBe(errorCodes.length);
  });

  it('keeps the wording of the help article for the send refusals', () => {
    expect(domainError('PROCEDURE_IN_PROGRESS_OR_SIGNED').message).toEqual({
      fr: 'Une procédure est en cours ou a déjà été signée',
      en: 'A procedure is in progress or has already been signed',
    });
    expect(domainError('NO_CONTACT').message).toEqual({
      fr: "Aucun contact associé à l'offre",
      en: 'No contact is linked to the quote',
    });
    expect(domainError('CONTACT_EMAIL_MISSING').message).toEqual({
      fr: "Le contact n'a pas d'email renseigné",
      en: 'The contact has no email address',
    });
    expect(domainError('CONTACT_MOBILE_MISSING').message).toEqual({
      fr: "Le contact n'a pas de mobile renseigné",
      en: 'The contact has no mobile number',
    });
  });

  it('puts details into the messages that name them', () => {
    expect(domainError('CODE_COOLDOWN', { retryAfterSeconds: 17 }).message).toEqual({
      fr: 'Veuillez patienter 17 s avant de demander un nouveau code',
      en: 'Please wait 17 s before asking for a new code',
    });
    expect(domainError('PROCEDURE_ENDED', { status: 'signed' }).message).toEqual({
      fr: 'La procédure de signature est terminée (signed)',
      en: 'The signature procedure has ended (signed)',
    });
    expect(domainError('TRANSITION_NOT_ALLOWED', { status: 'pending' }).message.en).toBe(
      "This action is not possible in the procedure's current state (pending)",
    );
  });

  it('keeps details on the error, and leaves them out when there are none', () => {
    expect(domainError('NOT_YET_DUE')).toEqual({
      _tag: 'DomainError',
      code: 'NOT_YET_DUE',
      message: {
        fr: "La date limite de la procédure n'est pas atteinte",
        en: "The procedure's deadline has not passed",
      },
    });
    expect(domainError('CREDIT_NOT_HELD', { hold: 'none' }).details).toEqual({ hold: 'none' });
  });

  it('carries every reason of a refused send', () => {
    const refused = sendRefused([domainError('NO_CONTACT'), domainError('NO_CREDIT_AVAILABLE')]);
    expect(refused.code).toBe('SEND_REFUSED');
    expect(refused.details).toEqual({ count: 2 });
    expect(refused.reasons?.map((r) => r.code)).toEqual(['NO_CONTACT', 'NO_CREDIT_AVAILABLE']);
    expect(refused.message.fr).toBe("L'offre ne peut pas être envoyée pour signature");
  });

  it('recognises domain errors', () => {
    expect(isDomainError(domainError('FORBIDDEN'))).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError(null)).toBe(false);
    expect(isDomainError('DomainError')).toBe(false);
  });
});
