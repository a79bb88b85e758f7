import * as A from 'fp-ts/lib/Apply.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as RA from 'fp-ts/lib/ReadonlyArray.js';
import { type DomainError, domainError } from '../errors.js';
import type { CrmUser } from '../ports/quote-source.js';
import { type Contact, contactFullName, type Quote, type QuoteDocument } from '../quote/quote.js';
import { belongsTo, type UserActor } from '../shared/actor.js';
import { blocksNewProcedure, type ProcedureStatus } from '../signature-procedure/procedure-status.js';
import {
  MAX_SIGNERS,
  type Signer,
  type SignerRole,
  type SigningOrder,
} from '../signature-procedure/signature-procedure.js';
import type { TenantSettings } from '../tenant-settings/tenant-settings.js';
import { parseEmail, parseMobile } from './contact-channels.js';

/** Who signs besides (or instead of) the quote's contact, as the sender asked. */
export interface SignerRequest {
  /** CRM contact ids in signing order: the quote's contact or its other contacts. By default the quote's contact. */
  readonly contactIds?: ReadonlyArray<string>;
  /** A user of the tenant who signs last, as the CRM returned them (`not-found` when it knows no such user). */
  readonly countersigner?: CrmUser | 'not-found';
  /** `sequential` (the list's order, by default) or `parallel`. */
  readonly order?: SigningOrder;
}

export interface SendCandidate {
  readonly actor: UserActor;
  readonly quote: Quote;
  /** Statuses of every procedure already made for this quote. */
  readonly existingProcedures: ReadonlyArray<ProcedureStatus>;
  readonly availableCredits: number;
  readonly settings: TenantSettings;
  readonly signers?: SignerRequest;
}

/** A signer the rules proved reachable: who, in which role, under which CRM reference. */
export interface ApprovedSigner {
  readonly role: SignerRole;
  readonly reference: string;
  readonly identity: Signer;
}

/** What the rules proved: every signer can be reached, no one twice, and the document exists. */
export interface ApprovedSend {
  readonly signers: ReadonlyArray<ApprovedSigner>;
  readonly signingOrder: SigningOrder;
  readonly document: QuoteDocument;
}

type Checked<A> = E.Either<ReadonlyArray<DomainError>, A>;

const collect = E.getApplicativeValidation(RA.getSemigroup<DomainError>());
const fail = <A>(error: DomainError): Checked<A> => E.left([error]);
const check = (ok: boolean, error: DomainError): Checked<void> => (ok ? E.right(undefined) : fail(error));
const one = <A>(result: E.Either<DomainError, A>): Checked<A> => E.mapLeft((e: DomainError) => [e])(result);

interface Candidate {
  readonly role: SignerRole;
  readonly reference: string;
  readonly name: string;
  readonly email?: string;
  readonly mobile?: string;
}

/** With several signers each reason names the signer it concerns (1-based, and their name); with one, as always. */
const about = (error: DomainError, position: number, name: string, several: boolean): DomainError =>
  several ? domainError(error.code, { ...error.details, signer: position + 1, name }) : error;

const checkSigner =
  (region: string, several: boolean) =>
  (candidate: Candidate, position: number): Checked<ApprovedSigner> =>
    pipe(
      A.sequenceS(collect)({
        email: one(parseEmail(candidate.email)),
        mobile: one(parseMobile(candidate.mobile, region)),
      }),
      E.bimap(
        (errors) => errors.map((e) => about(e, position, candidate.name, several)),
        ({ email, mobile }) => ({
          role: candidate.role,
          reference: candidate.reference,
          identity: { name: candidate.name, email, mobile },
        }),
      ),
    );

const fromContact = (contact: Contact): Candidate => ({
  role: 'contact',
  reference: contact.id,
  name: contactFullName(contact),
  ...(contact.email === undefined ? {} : { email: contact.email }),
  ...(contact.mobile === undefined ? {} : { mobile: contact.mobile }),
});

/** The signers asked for, in order: each a contact of the quote, then the countersigner; or why one cannot be. */
const candidatesOf = (
  quote: Quote,
  request: SignerRequest | undefined,
): { readonly found: ReadonlyArray<Candidate>; readonly missing: ReadonlyArray<DomainError> } => {
  const contacts = [...(quote.contact === undefined ? [] : [quote.contact]), ...(quote.otherContacts ?? [])];
  const ids = request?.contactIds ?? (quote.contact === undefined ? [] : [quote.contact.id]);
  const found: Candidate[] = [];
  const missing: DomainError[] = [];
  if (ids.length === 0) missing.push(domainError('NO_CONTACT'));
  ids.forEach((id, position) => {
    const contact = contacts.find((c) => c.id === id);
    if (contact === undefined)
      missing.push(domainError('SIGNER_NOT_ON_QUOTE', { signer: position + 1, contactId: id.slice(0, 64) }));
    else found.push(fromContact(contact));
  });
  const countersigner = request?.countersigner;
  if (countersigner === 'not-found') missing.push(domainError('COUNTERSIGNER_NOT_FOUND'));
  else if (countersigner !== undefined)
    found.push({
      role: 'countersigner',
      reference: countersigner.id,
      name: countersigner.name,
      ...(countersigner.email === undefined ? {} : { email: countersigner.email }),
      ...(countersigner.mobile === undefined ? {} : { mobile: countersigner.mobile }),
    });
  return { found, missing };
};

const sameText = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The same person twice (same CRM record, same email or same mobile) is refused: one person signs once. */
const duplicates = (signers: ReadonlyArray<ApprovedSigner>): ReadonlyArray<DomainError> =>
  signers.flatMap((signer, position) =>
    signers
      .slice(0, position)
      .some(
        (earlier) =>
          (earlier.role === signer.role && earlier.reference === signer.reference) ||
          sameText(earlier.identity.email, signer.identity.email) ||
          earlier.identity.mobile === signer.identity.mobile,
      )
      ? [domainError('SIGNER_DUPLICATE', { signer: position + 1, name: signer.identity.name })]
      : [],
  );

const checkSigners = (
  quote: Quote,
  request: SignerRequest | undefined,
  region: string,
): Checked<ReadonlyArray<ApprovedSigner>> => {
  const { found, missing } = candidatesOf(quote, request);
  const count = found.length + missing.filter((e) => e.code !== 'NO_CONTACT').length;
  if (count > MAX_SIGNERS) return fail(domainError('TOO_MANY_SIGNERS', { count, max: MAX_SIGNERS }));
  const several = count > 1;
  const checked = pipe(
    found.map((candidate, position) => checkSigner(region, several)(candidate, position)),
    RA.sequence(collect),
  );
  const problems = [...missing, ...(E.isLeft(checked) ? checked.left : duplicates(checked.right))];
  return problems.length > 0 ? E.left(problems) : checked;
};

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
      signers: checkSigners(quote, candidate.signers, settings.defaultPhoneRegion),
      document: checkDocument(quote.document),
      free: check(
        !candidate.existingProcedures.some(blocksNewProcedure),
        domainError('PROCEDURE_IN_PROGRESS_OR_SIGNED'),
      ),
      credit: check(candidate.availableCredits >= 1, domainError('NO_CREDIT_AVAILABLE')),
    }),
    E.map(({ signers, document }) => ({
      signers,
      signingOrder: candidate.signers?.order ?? 'sequential',
      document,
    })),
  );
};
