import {
  type AuditEvent,
  cancel,
  codeSubject,
  createProcedure,
  type DomainError,
  decline,
  defaultTenantSettings,
  type EmailAddress,
  hashCode,
  type MobileNumber,
  markSent,
  open,
  requestCode,
  type Sha256Hex,
  type SignatureProcedure,
  type SigningOrder,
  sha256Hex,
  sign,
  type Transition,
  verifyCode,
} from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { crmNotifications } from './lifecycle-messages.js';
import { toProcedureView, toSigningPageView } from './views.js';

const T0 = new Date('2026-03-02T09:00:00Z');
const KEY = 'property-key';
const CODE = '123456';

const newProcedure = (count: number, order: SigningOrder): SignatureProcedure => {
  const created = createProcedure(
    {
      id: 'proc-1',
      tenantId: 'acme',
      quoteId: 'q1',
      quoteNumber: 'D-1',
      senderId: 'bob',
      approved: {
        signers: Array.from({ length: count }, (_, i) => ({
          role: i === count - 1 && count > 1 ? ('countersigner' as const) : ('contact' as const),
          reference: `ref-${i}`,
          identity: {
            name: `Signer ${i + 1}`,
            email: `signer${i + 1}@example.fr` as EmailAddress,
            mobile: `+336123456${String(10 + i)}` as MobileNumber,
          },
        })),
        signingOrder: order,
        document: { fileName: 'D-1.pdf', bytes: new Uint8Array([37, 80, 68, 70]) },
      },
      documentSha256: sha256Hex('original'),
      tokens: Array.from({ length: count }, (_, i) => ({
        tokenHash: sha256Hex(`token-${i}`) as Sha256Hex,
        sealedToken: `sealed-${i}`,
      })),
      ...(order === 'sequential' && count > 1 ? { invitation: { subject: 'Devis', body: 'Signez' } } : {}),
      settings: { ...defaultTenantSettings('Acme'), esignatureActive: true },
      balance: { purchased: 1, available: 1, reserved: 0, captured: 0 },
    },
    T0,
  );
  if (E.isLeft(created)) throw new Error(created.left.code);
  return created.right.procedure;
};

type Action = 'sent' | 'open' | 'code' | 'verify' | 'wrong' | 'sign' | 'decline' | 'cancel';

const apply = (
  p: SignatureProcedure,
  action: Action,
  position: number,
  now: Date,
): E.Either<DomainError, Transition> => {
  const subject = codeSubject(p.id, position);
  switch (action) {
    case 'sent':
      return markSent(now, position)(p);
    case 'open':
      return open(undefined, now, position)(p);
    case 'code':
      return requestCode(hashCode(KEY, subject, CODE), undefined, now, position)(p);
    case 'verify':
      return verifyCode(hashCode(KEY, subject, CODE), undefined, now, position)(p);
    case 'wrong':
      return verifyCode(hashCode(KEY, subject, '000000'), undefined, now, position)(p);
    case 'sign':
      return sign(
        { consent: true, consentText: 'Bon pour accord', signedSha256: sha256Hex(`${now.getTime()}`) },
        now,
        position,
      )(p);
    case 'decline':
      return decline('non', undefined, now, position)(p);
    case 'cancel':
      return cancel('bob', now)(p);
  }
};

const signedCount = (p: SignatureProcedure) => p.signers.filter((s) => s.status === 'signed').length;

/** The next step on a signer's own path, so random sequences reach signatures often. */
const nextStep = (p: SignatureProcedure, position: number, now: Date): Action => {
  const status = p.signers[position]?.status;
  if (status === 'pending') return 'sent';
  if (status === 'sent') return 'open';
  if (status === 'verified') return 'sign';
  const codes = p.signers[position]?.sms.codes ?? [];
  const last = codes[codes.length - 1];
  // A new code once the last one expired or was spent (too many wrong attempts).
  return last?.status === 'active' && now.getTime() < last.expiresAt.getTime() ? 'verify' : 'code';
};

const actions = fc.array(
  fc.record({
    action: fc.oneof(
      { arbitrary: fc.constant<Action | 'next'>('next'), weight: 12 },
      {
        arbitrary: fc.constantFrom<Action | 'next'>('sent', 'open', 'code', 'verify', 'wrong', 'sign'),
        weight: 4,
      },
      { arbitrary: fc.constantFrom<Action | 'next'>('decline', 'cancel'), weight: 1 },
    ),
    position: fc.nat(3),
  }),
  { minLength: 20, maxLength: 80 },
);

describe('views and CRM notifications of several signers, over any interleaving of their actions', () => {
  it('tell each signature once with the count so far, mark the head only on the completing one, and show others by name only', () => {
    let partlySigned = 0;
    let fullySigned = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<SigningOrder>('sequential', 'parallel'),
        actions,
        (count, order, steps) => {
          let p = newProcedure(count, order);
          let now = T0;
          const seen: AuditEvent[] = [];
          for (const { action, position } of steps) {
            now = new Date(now.getTime() + 7_000);
            const who = position % count;
            const result = apply(p, action === 'next' ? nextStep(p, who, now) : action, who, now);
            if (E.isLeft(result)) continue;
            const before = p;
            const transition = result.right;
            p = transition.procedure;
            const cause = transition.events[0]!;
            seen.push(cause);

            // The CRM: a status change or a signature, one notification; the count of signers with several.
            const notices = crmNotifications(before, transition);
            const told = before.status !== p.status || cause.type === 'signed';
            expect(notices).toHaveLength(told ? 1 : 0);
            const notice = notices[0];
            if (notice?.kind === 'notification') {
              expect(notice.notification.status).toBe(p.status);
              if (count === 1) {
                expect(notice.notification).not.toHaveProperty('signers');
                expect(notice.notification).not.toHaveProperty('signer');
              } else {
                expect(notice.notification.signers).toEqual({ signed: signedCount(p), total: count });
                if (typeof cause.data.signer === 'number')
                  expect(notice.notification.signer?.position).toBe(cause.data.signer - 1);
              }
            }

            // The sender's view: every signer; the head at signature only once every signer signed.
            const view = toProcedureView(p, now);
            expect(view.signers.map((s) => s.status)).toEqual(p.signers.map((s) => s.status));
            const marked = view.timeline.filter((e) => e.headAtSignature);
            if (p.status === 'signed') {
              const lastSigned = seen.filter((e) => e.type === 'signed').at(-1);
              expect(marked.map((e) => e.hash)).toEqual([lastSigned?.hash]);
              expect(view.auditChainHeadAtSignature).toBe(lastSigned?.hash);
            } else {
              expect(marked).toHaveLength(0);
              expect(view).not.toHaveProperty('auditChainHeadAtSignature');
            }

            // Each signer's page: the others by name only; an ended procedure reads as ended for everyone.
            for (const signer of p.signers) {
              const page = toSigningPageView(p, signer.position, 'Bob', now);
              expect(page.signerName).toBe(signer.identity.name);
              for (const other of page.signers)
                expect(Object.keys(other).every((k) => ['name', 'status', 'signedAt'].includes(k))).toBe(
                  true,
                );
              if (p.credit !== 'reserved') expect(page.status).toBe(p.status);
              if (count === 1) expect(page.status).toBe(view.status);
            }
          }
          if (count > 1 && signedCount(p) > 0 && p.status !== 'signed') partlySigned++;
          if (count > 1 && p.status === 'signed') fullySigned++;
        },
      ),
      { numRuns: 300 },
    );
    // The runs reached both a procedure some but not all signed and one every signer signed.
    expect(partlySigned).toBeGreaterThan(10);
    expect(fullySigned).toBeGreaterThan(10);
  });
});
