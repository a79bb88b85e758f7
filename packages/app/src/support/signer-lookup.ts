import {
  type DomainError,
  domainError,
  hashSigningToken,
  type ProcedureSigner,
  type SignatureProcedure,
  signerByTokenHash,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { UseCaseSession } from './use-case-storage.js';

// Tokens are base64url of 32 bytes; anything else cannot match and is refused without a lookup.
const tokenShape = /^[A-Za-z0-9_-]{22,128}$/;

/** A link's procedure and the signer whose link it is. */
export interface LinkHolder {
  readonly procedure: SignatureProcedure;
  readonly signer: ProcedureSigner;
}

/**
 * The link's token is its signer's only credential: it is looked up by hash, and an unknown one is `LINK_INVALID`.
 * The procedure found holds the signer (storage finds it by any signer's hash); the check here keeps a store that
 * answered with the wrong procedure from letting one signer act as another.
 */
export const signerByToken = (
  session: UseCaseSession,
  token: string,
): TE.TaskEither<DomainError, LinkHolder> => {
  if (typeof token !== 'string' || !tokenShape.test(token)) return TE.left(domainError('LINK_INVALID'));
  const hash = hashSigningToken(token);
  return pipe(
    session.procedures.findByTokenHash(hash),
    TE.chain(TE.fromOption(() => domainError('LINK_INVALID'))),
    TE.chain((procedure) => {
      const signer = signerByTokenHash(procedure, hash);
      return signer === undefined ? TE.left(domainError('LINK_INVALID')) : TE.right({ procedure, signer });
    }),
  );
};

/**
 * A signer whose turn has not come is refused whatever they call, before anything is read or shown: only that it is
 * not their turn (or, as for every link, that the procedure ended or expired), nothing of the procedure.
 */
const notYetTheirTurn = ({ procedure, signer }: LinkHolder, now: Date): DomainError | undefined => {
  if (signer.status !== 'waiting') return undefined;
  if (procedure.credit !== 'reserved') return domainError('PROCEDURE_ENDED', { status: procedure.status });
  if (now.getTime() >= procedure.deadline.getTime()) return domainError('PROCEDURE_EXPIRED');
  return domainError('NOT_YOUR_TURN');
};

/** `signerByToken` for a signer's call: a signer whose turn has not come is refused with `NOT_YOUR_TURN`. */
export const signerOnTurn = (
  session: UseCaseSession,
  token: string,
  now: Date,
): TE.TaskEither<DomainError, LinkHolder> =>
  pipe(
    signerByToken(session, token),
    TE.chain((holder) => {
      const refused = notYetTheirTurn(holder, now);
      return refused === undefined ? TE.right(holder) : TE.left(refused);
    }),
  );
