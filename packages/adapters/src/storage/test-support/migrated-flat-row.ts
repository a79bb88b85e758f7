import type { Storage } from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import { expect } from 'vitest';
import { hex } from './flat-procedure-body.js';
import { sentProcedure, withSigner } from './procedure-fixtures.js';
import { assertLeftTag, run, runRight } from './run-work.js';

/**
 * What a schema migration must keep of a procedure the one-signer version stored (its token `hex('b')`): found by its
 * token in the new shape, its token a key no later signer can take, and updated like any procedure after.
 */
export const expectFlatRowKeptByMigration = async (storage: Storage): Promise<void> => {
  const found = await runRight(storage, (s) => s.procedures.findByTokenHash(hex('b')));
  expect(O.isSome(found) && found.value).toMatchObject({
    id: 'p-old',
    status: 'verified',
    signers: [{ position: 0, tokenHash: hex('b'), status: 'verified' }],
  });
  const clash = withSigner(sentProcedure({ id: 'p-new', signers: 2 }), 1, { tokenHash: hex('b') });
  const refused = await run(storage, (s) => s.procedures.insert(clash));
  expect(assertLeftTag(refused, 'StorageBroken').reason).toBe('duplicate signing token hash');
  expect(await runRight(storage, (s) => s.procedures.get('p-new'))).toStrictEqual(O.none);
  if (O.isNone(found)) throw new Error('the migrated procedure was not found');
  const next = { ...withSigner(found.value, 0, { remindersSent: 2 }), version: found.value.version + 1 };
  await runRight(storage, (s) => s.procedures.update(next, found.value.version));
  expect(await runRight(storage, (s) => s.procedures.findByTokenHash(hex('b')))).toStrictEqual(O.some(next));
};
