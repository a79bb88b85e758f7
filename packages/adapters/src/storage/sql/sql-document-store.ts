import type { DocumentStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { BytesColumn } from './column-codecs.js';
import { decodeRow } from './decode-row.js';
import type { SqlContext } from './sql-context.js';

export const makeSqlDocumentStore = (context: SqlContext): DocumentStore => ({
  put: (procedureId, kind, bytes) =>
    context.run('store document', async (db) => {
      // Both drivers bind a Buffer as BLOB/bytea; the copy also detaches the row from the caller's buffer.
      const blob = Buffer.from(bytes);
      await db
        .insertInto('documents')
        .values({ procedure_id: procedureId, kind, bytes: blob, byte_length: blob.length })
        .onConflict((conflict) =>
          conflict.columns(['procedure_id', 'kind']).doUpdateSet({ bytes: blob, byte_length: blob.length }),
        )
        .execute();
    }),
  get: (procedureId, kind) =>
    pipe(
      context.run('read document', (db) =>
        db
          .selectFrom('documents')
          .select('bytes')
          .where('procedure_id', '=', procedureId)
          .where('kind', '=', kind)
          .executeTakeFirst(),
      ),
      TE.chainEitherK((row) =>
        row === undefined
          ? E.right(O.none)
          : E.map((bytes: Uint8Array) => O.some(bytes))(decodeRow(BytesColumn, 'document')(row.bytes)),
      ),
    ),
});
