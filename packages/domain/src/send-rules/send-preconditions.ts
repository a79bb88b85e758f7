import * as A from 'fp-ts/lib/Apply.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as RA from 'fp-ts/lib/ReadonlyArray.js';
import { type DomainError, domainError } from '../errors.js';
import { type Contact, contactFullName, type Quote, type QuoteDocument } from '../quote/quote.js';
import { belongsTo, type UserActor } from '../shared/actor.js';
import type { EmailAddress, MobileNumber } from '../shared/types.js';
import { blocksNewProcedure, type ProcedureStatus } from '../signature-procedure/procedure-status.js';
import type { TenantSettings } from '../tenant-settings/tenant-settings.js';
import { parseEmail, parseMobile } from './contact-channels.js';

export interface SendCandidate {
  readonly actor: UserActor;
  readonly quote: Quote;
  /** Statuses of every procedure already made for this quote. */
  readonly existingProcedures: ReadonlyArray<ProcedureStatus>;
  readonly availableCredits: number;
  readonly settings: TenantSettings;
}

/** What the rules proved: the signer can be reached and the document exists. */
export interface ApprovedSend {
  readonly signer: { readonly name: string; readonly email: EmailAddress; readonly mobile: MobileNumber };
  readonly document: QuoteDocument;
}

type Checked<A> = E.Either<ReadonlyArray<DomainError>, A>;

const collect = E.getApplicativeValidation(RA.getSemigroup<DomainError>());
const fail = <A>(error: DomainError): Checked<A> => E.left([error]);
const check = (ok: boolean, error: DomainError): Checked<void> => (ok ? E.right(undefined) : fail(error));
const one = <A>(result: E.Either<DomainError, A>): Checked<A> => E.mapLeft((e: DomainError) => [e])(result);

const checkContact = (contact: Contact | undefined, region: string): Checked<ApprovedSend['signer']> =>
  contact === undefined
    ? fail(domainError('NO_CONTACT'))
    : pipe(
        A.sequenceS(collect)({
          email: one(parseEmail(contact.email)),
          mobile: one(parseMobile(contact.mobile, region)),
        }),
        E.map(({ email, mobile }) => ({ name: contactFullName(contact), email, mobile })),
      );

const checkDocument = (document: QuoteDocument | undefined): Checked<QuoteDocument> =>
  document === undefined || document.bytes.length === 0
    ? fail(domainError('DOCUMENT_MISSING'))
    : E.right(document);

/** Rule 3 and its neighbours: a quote can be sent only when every check passes, and every failure is reported at once. */
export const checkSendPreconditions = (
  candidate: SendCandidate,
): E.Either<ReadonlyArray<DomainError>, ApprovedSend> => {
  const { actor, quote, settings } = candidate;
  if (!belongsTo(actor, quote.tenantId)) return fail(domainError('FORBIDDEN'));
  return pipe(
    A.sequenceS(collect)({
      active: check(settings.esignatureActive, domainError('ESIGNATURE_NOT_ACTIVATED')),
      signer: checkContact(quote.contact, settings.defaultPhoneRegion),
      document: checkDocument(quote.document),
      free: check(
        !candidate.existingProcedures.some(blocksNewProcedure),
        domainError('PROCEDURE_IN_PROGRESS_OR_SIGNED'),
      ),
      credit: check(candidate.availableCredits >= 1, domainError('NO_CREDIT_AVAILABLE')),
    }),
    E.map(({ signer, document }) => ({ signer, document })),
  );
};
