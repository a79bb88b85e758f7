import type { CreditBalance, DomainError, LedgerEntry } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { EpochMillis, Int64, oneOf } from './column-codecs.js';
import { decodeRow } from './decode-row.js';

const Base = { tenant_id: t.string, at: EpochMillis };

// One row shape per kind: a purchase has a quantity and an order, the others a procedure (and a reason).
const LedgerRow = t.union([
  t.type({ ...Base, kind: t.literal('purchased'), quantity: Int64, order_reference: t.string }),
  t.type({ ...Base, kind: oneOf('HoldKind', ['reserved', 'captured'] as const), procedure_id: t.string }),
  t.type({
    ...Base,
    kind: t.literal('released'),
    procedure_id: t.string,
    reason: oneOf('ReleaseReason', ['expired', 'cancelled', 'declined', 'failed'] as const),
  }),
]);

export const ledgerEntryFromRow = (row: unknown): E.Either<DomainError, LedgerEntry> =>
  pipe(
    decodeRow(LedgerRow, 'ledger entry')(row),
    E.map((r): LedgerEntry => {
      switch (r.kind) {
        case 'purchased':
          return {
            kind: r.kind,
            tenantId: r.tenant_id,
            quantity: r.quantity,
            orderReference: r.order_reference,
            at: r.at,
          };
        case 'released':
          return {
            kind: r.kind,
            tenantId: r.tenant_id,
            procedureId: r.procedure_id,
            reason: r.reason,
            at: r.at,
          };
        default:
          return { kind: r.kind, tenantId: r.tenant_id, procedureId: r.procedure_id, at: r.at };
      }
    }),
  );

/** The columns of one entry; the absent ones are null. */
export const ledgerEntryToRow = (entry: LedgerEntry) => ({
  tenant_id: entry.tenantId,
  kind: entry.kind,
  procedure_id: entry.kind === 'purchased' ? null : entry.procedureId,
  quantity: entry.kind === 'purchased' ? entry.quantity : null,
  order_reference: entry.kind === 'purchased' ? entry.orderReference : null,
  reason: entry.kind === 'released' ? entry.reason : null,
  at: entry.at.getTime(),
});

export const BalanceRow: t.Decoder<unknown, CreditBalance> = t.type({
  purchased: Int64,
  available: Int64,
  reserved: Int64,
  captured: Int64,
});
