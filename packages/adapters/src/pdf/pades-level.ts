import { type SealingError, sealingError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

/**
 * PAdES baseline levels (ETSI EN 319 142-1): B-B a CAdES signature; B-T plus a signature timestamp; B-LT plus the
 * certificates and revocation data in the /DSS; B-LTA plus a document timestamp over the whole file.
 */
export const PADES_LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;
export type PadesLevel = (typeof PADES_LEVELS)[number];

export const atLeast = (level: PadesLevel, floor: PadesLevel): boolean =>
  PADES_LEVELS.indexOf(level) >= PADES_LEVELS.indexOf(floor);

/** The level asked for, or B-T with a TSA and B-B without; above B-B a TSA is required. */
export const padesLevelOf = (config: {
  readonly level?: PadesLevel | undefined;
  readonly timestampAuthority?: unknown;
}): E.Either<SealingError, PadesLevel> => {
  const hasTsa = config.timestampAuthority !== undefined;
  const level = config.level ?? (hasTsa ? 'B-T' : 'B-B');
  if (!PADES_LEVELS.includes(level)) return E.left(sealingError('INVALID_CONFIG', { fields: 'level' }));
  return level !== 'B-B' && !hasTsa
    ? E.left(sealingError('INVALID_CONFIG', { fields: 'timestampAuthority' }))
    : E.right(level);
};
