import type { DocumentStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { BytesColumn } from '../records/column-codecs.js';
import { decodeRow } from '../records/decode-row.js';
import { storableDocument } from '../records/record-check.js';
import { compiledStatement } from './compiled-statement.js';
import type { SqlContext } from './sql-context.js';

const upsertDocument = compiledStatement((db, slot) =>
  db
    .insertInto('documents')
    .values({ procedure_id: slot(0), kind: slot(1), bytes: slot(2), byte_length: slot(3) })
    // `excluded`: the document is bound once (a PDF may weigh megabytes).
    .onConflict((conflict) =>
      conflict.columns(['procedure_id', 'kind']).doUpdateSet((eb) => ({
        bytes: eb.ref('excluded.bytes'),
        byte_length: eb.ref('excluded.byte_length'),
      })),
    ),
);
const selectDocument = compiledStatement((db, slot) =>
  db.selectFrom('documents').select('bytes').where('procedure_id', '=', slot(0)).where('kind', '=', slot(1)),
);

export const makeSqlDocumentStore = (context: SqlContext): DocumentStore => ({
  put: (procedureId, kind, bytes) => {
    const storable = storableDocument(bytes);
    if (E.isLeft(storable)) return TE.left(storable.left);
    // Both drivers bind a Buffer as BLOB/bytea; the copy also detaches the row from the caller's buffer.
    const blob = Buffer.from(bytes);
    return context.write('store document', [
      {
        row: `documents:${procedureId}:${kind}`,
        statement: upsertDocument.boundTo(context, [procedureId, kind, blob, blob.length]),
      },
    ]);
  },
  get: (procedureId, kind) =>
    pipe(
      context.run('read document', async () => (await selectDocument(context, [procedureId, kind])).rows[0]),
      TE.chainEitherK((row) =>
        row === undefined
          ? E.right(O.none)
          : E.map((bytes: Uint8Array) => O.some(bytes))(decodeRow(BytesColumn, 'document')(row.bytes)),
      ),
    ),
});
