import type { DocumentSnapshot, PDFContext } from '@cantoo/pdf-lib';

/**
 * Runs `build` with pdf-lib's incremental change tracking switched off, for code that only creates new
 * objects. With a snapshot attached, every `PDFDict.set` and `PDFArray.push` searches the whole document,
 * object by object and deeply, for the indirect object containing the changed one: a new dictionary is
 * contained in none, so each of its entries costs a full walk, which made building the stamp grow with the
 * page count (8 ms on 50 pages). New objects need no tracking: their numbers exceed the snapshot's last
 * object number, so the writer saves them anyway. Changes to objects of the original file must stay
 * outside `build`, where tracking marks their containing object for the update.
 */
export const withoutChangeTracking = async <T>(
  context: PDFContext,
  build: () => T | Promise<T>,
): Promise<T> => {
  // Assigning undefined rather than deleting keeps the context's hidden class (a delete slows every lookup).
  const tracked = context as { snapshot?: DocumentSnapshot | undefined };
  const snapshot = tracked.snapshot;
  tracked.snapshot = undefined;
  try {
    return await build();
  } finally {
    tracked.snapshot = snapshot;
  }
};
