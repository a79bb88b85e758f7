import { type DomainError, domainError, hashSigningToken, type SignatureProcedure } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { UseCaseSession } from './use-case-storage.js';

// Tokens are base64url of 32 bytes; anything else cannot match and is refused without a lookup.
const tokenShape = /^[A-Za-z0-9_-]{22,128}$/;

/** The link's token is the signer's only credential: it is looked up by hash, and an unknown one is `LINK_INVALID`. */
export const procedureByToken = (
  session: UseCaseSession,
  token: string,
): TE.TaskEither<DomainError, SignatureProcedure> =>
  typeof token !== 'string' || !tokenShape.test(token)
    ? TE.left(domainError('LINK_INVALID'))
    : pipe(
        session.procedures.findByTokenHash(hashSigningToken(token)),
        TE.chain(TE.fromOption(() => domainError('LINK_INVALID'))),
      );
