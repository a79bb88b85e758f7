import {
  type Contact,
  type CrmUser,
  type DomainError,
  describeDecodeErrors,
  domainError,
  type Quote,
  refinedType,
  Text,
  TextUpTo,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts';
import { checkedCrmCall, crmFailureToDomain } from './crm-errors.js';

/** The longest texts Paraphe takes from the CRM; longer ones are `CRM_INVALID_DATA`, named. */
export const CRM_LIMITS = {
  id: 200,
  name: 200,
  email: 320,
  mobile: 64,
  fileName: 255,
  /** A quote's other contacts: the ones a send may name as signers, far more than the signers a procedure takes. */
  otherContacts: 100,
} as const;

const Bytes = refinedType('Uint8Array', (u): u is Uint8Array => u instanceof Uint8Array);
// A CRM's JSON often says `null` for "not filled in".
const Optional = <C extends t.Mixed>(codec: C) => t.union([t.undefined, t.null, codec]);

const ContactCodec = t.type({
  id: Text(CRM_LIMITS.id),
  firstName: Optional(TextUpTo(CRM_LIMITS.name)),
  lastName: TextUpTo(CRM_LIMITS.name),
  email: Optional(TextUpTo(CRM_LIMITS.email)),
  mobile: Optional(TextUpTo(CRM_LIMITS.mobile)),
});

/** An array of at most `max` elements, each checked by `codec`; a longer one fails without its elements being read. */
const ArrayUpTo = <C extends t.Mixed>(codec: C, max: number) => {
  const array = t.array(codec);
  return new t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown>(
    `ArrayUpTo(${max})`,
    (u): u is Array<t.TypeOf<C>> => array.is(u) && u.length <= max,
    (u, c) => (Array.isArray(u) && u.length > max ? t.failure(u, c) : array.validate(u, c)),
    array.encode,
  );
};

const QuoteCodec = t.type({
  id: Text(CRM_LIMITS.id),
  tenantId: Text(CRM_LIMITS.id),
  number: Text(CRM_LIMITS.id),
  ownerId: Text(CRM_LIMITS.id),
  opportunityId: Optional(TextUpTo(CRM_LIMITS.id)),
  contact: Optional(ContactCodec),
  otherContacts: Optional(ArrayUpTo(ContactCodec, CRM_LIMITS.otherContacts)),
  document: Optional(t.type({ fileName: Text(CRM_LIMITS.fileName), bytes: Bytes })),
});

const UserCodec = t.type({
  id: Text(CRM_LIMITS.id),
  name: TextUpTo(CRM_LIMITS.name),
  email: Optional(TextUpTo(CRM_LIMITS.email)),
  mobile: Optional(TextUpTo(CRM_LIMITS.mobile)),
});

const invalid = (field: string): DomainError => domainError('CRM_INVALID_DATA', { field });

const present = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

const decoded = <C extends t.Mixed>(codec: C, u: unknown): E.Either<DomainError, t.TypeOf<C>> =>
  E.mapLeft((errors: t.Errors) => invalid(describeDecodeErrors(errors)))(codec.decode(u));

const toContact = (c: t.TypeOf<typeof ContactCodec>): Contact => ({
  id: c.id,
  lastName: c.lastName,
  ...present('firstName', c.firstName),
  ...present('email', c.email),
  ...present('mobile', c.mobile),
});

/** A quote as the CRM returned it, checked: its tenant and id must be the ones asked for. */
export const decodeCrmQuote =
  (tenantId: string, quoteId: string) =>
  (u: unknown): E.Either<DomainError, Quote> => {
    const quote = decoded(QuoteCodec, u);
    if (E.isLeft(quote)) return quote;
    const q = quote.right;
    if (q.tenantId !== tenantId) return E.left(invalid('tenantId'));
    if (q.id !== quoteId) return E.left(invalid('id'));
    return E.right({
      id: q.id,
      tenantId: q.tenantId,
      number: q.number,
      ownerId: q.ownerId,
      ...present('opportunityId', q.opportunityId),
      ...present('contact', q.contact === null || q.contact === undefined ? undefined : toContact(q.contact)),
      ...present('otherContacts', q.otherContacts?.map(toContact)),
      ...present('document', q.document),
    });
  };

/** A CRM user as returned; a blank name falls back to the id, as an unknown user's does. */
export const decodeCrmUser = (u: unknown): E.Either<DomainError, CrmUser> =>
  E.map((user: t.TypeOf<typeof UserCodec>) => ({
    id: user.id,
    name: user.name.trim() === '' ? user.id : user.name,
    ...present('email', user.email),
    ...present('mobile', user.mobile),
  }))(decoded(UserCodec, u));

const isOption = (u: unknown): u is O.Option<unknown> =>
  typeof u === 'object' &&
  u !== null &&
  ((u as O.Option<unknown>)._tag === 'None' || (u as O.Option<unknown>)._tag === 'Some');

/**
 * Calls the CRM and checks its answer (see `checkedCrmCall`), failures as the facade says them (`crmFailureToDomain`):
 * a throw or a rejection is `CRM_FAILURE`, never a rejected promise of ours; an answer that is not an Either is
 * `CRM_INVALID_DATA`; a `CrmError` is mapped, a `DomainError` of ours passed on as it is.
 */
export const callCrm = (
  what: string,
  call: () => TE.TaskEither<unknown, unknown>,
): TE.TaskEither<DomainError, unknown> => TE.mapLeft(crmFailureToDomain(what))(checkedCrmCall(call));

/** `callCrm` for a lookup: its Right must be an Option, whose value `decode` checks. */
export const lookUpInCrm =
  <A>(
    what: string,
    call: () => TE.TaskEither<unknown, unknown>,
    decode: (u: unknown) => E.Either<DomainError, A>,
  ): TE.TaskEither<DomainError, O.Option<A>> =>
  async () => {
    const answer = await callCrm(what, call)();
    if (E.isLeft(answer)) return answer;
    const found = answer.right;
    if (!isOption(found)) return E.left(invalid(what));
    if (O.isNone(found)) return E.right(O.none);
    const value = decode(found.value);
    return E.isLeft(value) ? value : E.right(O.some(value.right));
  };
