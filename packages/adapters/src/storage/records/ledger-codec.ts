import type { CreditBalance, LedgerEntry, StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { EpochMillis, Int64, oneOf } from './column-codecs.js';
import { decodeRow } from './decode-row.js';
import { storable, storableRow } from './record-check.js';

const Base = { tenant_id: t.string, at: EpochMillis };

// One row shape per kind: a purchase has a quantity and an order, the others a procedure (and a reason).
const LedgerRowCodec = t.union([
  t.type({ ...Base, kind: t.literal('purchased'), quantity: Int64, order_reference: t.string }),
  t.type({ ...Base, kind: oneOf('HoldKind', ['reserved', 'captured'] as const), procedure_id: t.string }),
  t.type({
    ...Base,
    kind: t.literal('released'),
    procedure_id: t.string,
    reason: oneOf('ReleaseReason', ['expired', 'cancelled', 'declined', 'failed'] as const),
  }),
]);

/** The columns of one entry as written. */
export interface LedgerRow {
  readonly tenant_id: string;
  readonly kind: string;
  readonly procedure_id: string | null;
  readonly quantity: number | null;
  readonly order_reference: string | null;
  readonly reason: string | null;
  readonly at: number;
}

export const ledgerEntryFromRow = (row: unknown): E.Either<StorageError, LedgerEntry> =>
  pipe(
    decodeRow(LedgerRowCodec, 'ledger entry')(row),
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
export const ledgerEntryToRow = (entry: LedgerEntry): LedgerRow => ({
  tenant_id: entry.tenantId,
  kind: entry.kind,
  procedure_id: entry.kind === 'purchased' ? null : entry.procedureId,
  quantity: entry.kind === 'purchased' ? entry.quantity : null,
  order_reference: entry.kind === 'purchased' ? entry.orderReference : null,
  reason: entry.kind === 'released' ? entry.reason : null,
  // Not a Date: refused by the check below, naming `at`, instead of a throw here.
  at: entry.at instanceof Date ? entry.at.getTime() : Number.NaN,
});

export const BalanceRow: t.Type<CreditBalance, unknown, unknown> = t.type({
  purchased: Int64,
  available: Int64,
  reserved: Int64,
  captured: Int64,
});

const checkRow = storableRow<LedgerRow>('ledger entry', LedgerRowCodec);

/**
 * The rows of the entries, once each reads back with the codec the SQL stores read them with; otherwise
 * `STORAGE_FAILURE` naming the invalid fields, and nothing is appended.
 */
export const storableEntries = (
  entries: ReadonlyArray<LedgerEntry>,
): E.Either<StorageError, ReadonlyArray<LedgerRow>> => {
  const rows: LedgerRow[] = [];
  for (const entry of entries) {
    const row = ledgerEntryToRow(entry);
    // As read back, the row's time is a Date.
    const checked = checkRow(row, { ...row, at: entry.at });
    if (E.isLeft(checked)) return checked;
    rows.push(row);
  }
  return E.right(rows);
};

/** A balance the SQL stores read back (safe integers); otherwise `STORAGE_FAILURE` and nothing is appended. */
export const storableBalance = storable('credit balance', BalanceRow);
