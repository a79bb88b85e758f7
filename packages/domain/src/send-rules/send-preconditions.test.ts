import { describe, expect, it } from 'vitest';
import type { ProcedureStatus } from '../signature-procedure/procedure-status.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { activeSettings, admin, contact, quote, sender } from '../test-support/fixtures.js';
import { checkSendPreconditions, type SendCandidate } from './send-preconditions.js';

const candidate = (overrides: Partial<SendCandidate> = {}): SendCandidate => ({
  actor: sender,
  quote,
  existingProcedures: [],
  availableCredits: 3,
  settings: activeSettings,
  ...overrides,
});

const codesOf = (c: SendCandidate) => assertLeft(checkSendPreconditions(c)).map((e) => e.code);

describe('checkSendPreconditions', () => {
  it('approves a complete quote and proves the signer channels', () => {
    const approved = assertRight(checkSendPreconditions(candidate()));
    expect(approved.signers[0]?.identity).toEqual({
      name: 'Camille Martin',
      email: 'camille.martin@example.fr',
      mobile: '+33612345678',
    });
    expect(approved.document.fileName).toBe('Q-2025-001.pdf');
  });

  it('lets admins send too', () => {
    assertRight(checkSendPreconditions(candidate({ actor: admin })));
  });

  it('refuses when e-signature is not activated (rule 0)', () => {
    const errors = assertLeft(
      checkSendPreconditions(candidate({ settings: { ...activeSettings, esignatureActive: false } })),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('ESIGNATURE_NOT_ACTIVATED');
    expect(errors[0]?.message).toEqual({
      fr: "La signature électronique n'est pas activée pour ce compte",
      en: 'Electronic signature is not activated for this account',
    });
  });

  it('refuses without an available credit (rule 1)', () => {
    const errors = assertLeft(checkSendPreconditions(candidate({ availableCredits: 0 })));
    expect(errors.map((e) => e.code)).toEqual(['NO_CREDIT_AVAILABLE']);
    expect(errors[0]?.message).toEqual({
      fr: 'Aucun crédit de signature disponible',
      en: 'No signature credit available',
    });
  });

  it('refuses a quote without contact, and then says nothing of email or mobile', () => {
    const { contact: _, ...noContact } = quote;
    const errors = assertLeft(checkSendPreconditions(candidate({ quote: noContact })));
    expect(errors.map((e) => e.code)).toEqual(['NO_CONTACT']);
    expect(errors[0]?.message).toEqual({
      fr: "Aucun contact associé à l'offre",
      en: 'No contact is linked to the quote',
    });
  });

  it('refuses a contact without email', () => {
    const { email: _, ...noEmail } = contact;
    const errors = assertLeft(checkSendPreconditions(candidate({ quote: { ...quote, contact: noEmail } })));
    expect(errors.map((e) => e.code)).toEqual(['CONTACT_EMAIL_MISSING']);
    expect(errors[0]?.message.fr).toBe("Le contact n'a pas d'email renseigné");
  });

  it('refuses a contact without mobile', () => {
    const { mobile: _, ...noMobile } = contact;
    const errors = assertLeft(checkSendPreconditions(candidate({ quote: { ...quote, contact: noMobile } })));
    expect(errors.map((e) => e.code)).toEqual(['CONTACT_MOBILE_MISSING']);
    expect(errors[0]?.message.fr).toBe("Le contact n'a pas de mobile renseigné");
  });

  it('refuses a fixed line, garbage and an invalid email', () => {
    expect(
      codesOf(candidate({ quote: { ...quote, contact: { ...contact, mobile: '01 23 45 67 89' } } })),
    ).toEqual(['CONTACT_MOBILE_NOT_MOBILE']);
    expect(
      codesOf(candidate({ quote: { ...quote, contact: { ...contact, mobile: 'call me', email: 'x@' } } })),
    ).toEqual(['CONTACT_EMAIL_INVALID', 'CONTACT_MOBILE_INVALID']);
  });

  it("reads the mobile with the tenant's default region", () => {
    const belgian = { ...quote, contact: { ...contact, mobile: '0470 12 34 56' } };
    // Read as French, 04 70… is a fixed line.
    expect(codesOf(candidate({ quote: belgian }))).toEqual(['CONTACT_MOBILE_NOT_MOBILE']);
    const approved = assertRight(
      checkSendPreconditions(
        candidate({ quote: belgian, settings: { ...activeSettings, defaultPhoneRegion: 'BE' } }),
      ),
    );
    expect(approved.signers[0]?.identity.mobile).toBe('+32470123456');
  });

  it('refuses a quote without a document, or with an empty one', () => {
    const { document: _, ...noDocument } = quote;
    expect(codesOf(candidate({ quote: noDocument }))).toEqual(['DOCUMENT_MISSING']);
    expect(
      codesOf(
        candidate({ quote: { ...quote, document: { fileName: 'empty.pdf', bytes: new Uint8Array() } } }),
      ),
    ).toEqual(['DOCUMENT_MISSING']);
  });

  it.each<ProcedureStatus>(['pending', 'sent', 'opened', 'verified', 'signed'])(
    'refuses while a procedure of the quote is %s',
    (status) => {
      const errors = assertLeft(
        checkSendPreconditions(candidate({ existingProcedures: ['expired', status] })),
      );
      expect(errors.map((e) => e.code)).toEqual(['PROCEDURE_IN_PROGRESS_OR_SIGNED']);
      expect(errors[0]?.message).toEqual({
        fr: 'Une procédure est en cours ou a déjà été signée',
        en: 'A procedure is in progress or has already been signed',
      });
    },
  );

  it.each<ProcedureStatus>(['expired', 'cancelled', 'declined', 'failed'])(
    'lets the quote be sent again after a procedure %s',
    (status) => {
      assertRight(checkSendPreconditions(candidate({ existingProcedures: [status, status] })));
    },
  );

  it('reports every failure at once, not the first only', () => {
    const { mobile: _, ...noMobile } = contact;
    const errors = assertLeft(
      checkSendPreconditions(
        candidate({
          settings: { ...activeSettings, esignatureActive: false },
          quote: { ...quote, contact: noMobile },
          availableCredits: 0,
        }),
      ),
    );
    expect(errors.map((e) => e.code)).toEqual([
      'ESIGNATURE_NOT_ACTIVATED',
      'CONTACT_MOBILE_MISSING',
      'NO_CREDIT_AVAILABLE',
    ]);
  });

  it('reports all six failures of a hopeless quote together', () => {
    const { document: _, ...noDocument } = quote;
    const codes = codesOf(
      candidate({
        settings: { ...activeSettings, esignatureActive: false },
        quote: {
          ...noDocument,
          contact: { id: 'c', lastName: 'X', email: 'nope', mobile: '01 23 45 67 89' },
        },
        existingProcedures: ['opened'],
        availableCredits: 0,
      }),
    );
    expect(codes).toEqual([
      'ESIGNATURE_NOT_ACTIVATED',
      'CONTACT_EMAIL_INVALID',
      'CONTACT_MOBILE_NOT_MOBILE',
      'DOCUMENT_MISSING',
      'PROCEDURE_IN_PROGRESS_OR_SIGNED',
      'NO_CREDIT_AVAILABLE',
    ]);
  });

  it('refuses a user of another tenant before looking at the quote', () => {
    const stranger = { ...sender, tenantId: 'tenant-2' };
    const errors = assertLeft(checkSendPreconditions(candidate({ actor: stranger, availableCredits: 0 })));
    expect(errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    expect(errors[0]?.message).toEqual({
      fr: "Vous n'avez pas le droit de faire cette action",
      en: 'You are not allowed to do this',
    });
  });

  it('names a signer with only a last name', () => {
    const approved = assertRight(
      checkSendPreconditions(
        candidate({
          quote: {
            ...quote,
            contact: { id: 'c', lastName: 'Dupont', email: 'd@x.fr', mobile: '0612345678' },
          },
        }),
      ),
    );
    expect(approved.signers[0]?.identity.name).toBe('Dupont');
  });
});
