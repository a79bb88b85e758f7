import type { Random } from '@paraphe/domain';

/** A procedure id: `sp_` and 128 random bits, unguessable so ids alone never give access. */
export const newProcedureId = (random: Random): string =>
  `sp_${Buffer.from(random.bytes(16)).toString('hex')}`;
