import type { DocumentStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { storableDocument } from '../records/record-check.js';
import { type Draft, documentKeyOf, memoryStep } from './in-memory-state.js';

// Bytes are copied on the way in and out: a caller reusing its buffer must not change what was stored.
export const makeMemoryDocumentStore = (draft: Draft): DocumentStore => ({
  put: (procedureId, kind, bytes) =>
    memoryStep(() => {
      const storable = storableDocument(bytes);
      if (E.isLeft(storable)) return storable;
      draft.own('documents').set(documentKeyOf(procedureId, kind), Uint8Array.from(bytes));
      return E.right(undefined);
    }),
  get: (procedureId, kind) =>
    memoryStep(() =>
      E.right(
        O.map((bytes: Uint8Array) => Uint8Array.from(bytes))(
          O.fromNullable(draft.state.documents.get(documentKeyOf(procedureId, kind))),
        ),
      ),
    ),
});
