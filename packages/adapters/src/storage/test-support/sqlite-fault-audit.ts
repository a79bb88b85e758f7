import { balanceOf, type CreditBalance } from '@paraphe/domain';
import BetterSqlite3 from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { makeSqliteStorage } from '../sqlite/sqlite-storage.js';

export interface SendAudit {
  readonly balance: CreditBalance;
  /** The balance folded from the ledger's entries. */
  readonly folded: CreditBalance;
  /** The sends answered Right, and those of all the sends that are stored: the two must be equal. */
  readonly answeredCommitted: ReadonlyArray<string>;
  readonly stored: ReadonlyArray<string>;
  readonly integrity: string;
}

/**
 * Reopens a SQLite file after a fault (mustExist: the file must be there) and reads what a fault must not break:
 * the tenant's balance and ledger, which of the sends (procedure id → the answer its unit of work got) are stored,
 * and `PRAGMA integrity_check`.
 */
export const auditSends = async (
  filename: string,
  tenantId: string,
  outcomes: ReadonlyMap<string, E.Either<unknown, unknown>>,
): Promise<SendAudit> => {
  const ids = [...outcomes.keys()];
  const storage = makeSqliteStorage({ filename, mustExist: true });
  const read = await storage
    .unitOfWork((s) =>
      pipe(
        TE.Do,
        TE.bind('balance', () => s.ledger.balanceForUpdate(tenantId)),
        TE.bind('entries', () => s.ledger.entries(tenantId)),
        TE.bind('found', () => TE.traverseSeqArray((id: string) => s.procedures.get(id))(ids)),
      ),
    )()
    .finally(() => storage.close());
  if (E.isLeft(read)) throw new Error(`reading the storage failed: ${JSON.stringify(read.left)}`);
  const raw = new BetterSqlite3(filename, { readonly: true });
  const integrity = String(raw.pragma('integrity_check', { simple: true }));
  raw.close();
  return {
    balance: read.right.balance,
    folded: balanceOf(read.right.entries),
    answeredCommitted: ids.filter((id) => E.isRight(outcomes.get(id)!)),
    stored: ids.filter((_, i) => O.isSome(read.right.found[i]!)),
    integrity,
  };
};

/** purchased = available + reserved + captured. */
export const balances = ({ purchased, available, reserved, captured }: CreditBalance): boolean =>
  purchased === available + reserved + captured;
