/** An array kept sorted by `compare`: the in-memory stand-in for a database index. */
export type SortedIndex<T> = ReadonlyArray<T>;

/** First position whose item is not before `probe` (binary search). */
export const lowerBound = <T, P>(
  index: SortedIndex<T>,
  probe: P,
  before: (item: T, probe: P) => boolean,
): number => {
  let low = 0;
  let high = index.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(index[mid]!, probe)) low = mid + 1;
    else high = mid;
  }
  return low;
};

/** Inserts `item` in order; returns how to take it out again. */
export const insertSorted = <T>(index: T[], item: T, compare: (a: T, b: T) => number): (() => void) => {
  const at = lowerBound(index, item, (a, b) => compare(a, b) < 0);
  index.splice(at, 0, item);
  return () => {
    index.splice(at, 1);
  };
};

/** Removes the item equal to `item` under `compare`, if present; returns how to put it back. */
export const removeSorted = <T>(index: T[], item: T, compare: (a: T, b: T) => number): (() => void) => {
  const at = lowerBound(index, item, (a, b) => compare(a, b) < 0);
  const found = index[at];
  if (found === undefined || compare(found, item) !== 0) return () => undefined;
  index.splice(at, 1);
  return () => {
    index.splice(at, 0, found);
  };
};
