import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Whether the paths of a database still name the files its connection opened. */
export interface FileIdentity {
  /** Why the files can no longer be trusted (one was deleted or replaced), or nothing when they still can. */
  readonly check: () => string | undefined;
}

interface Watched {
  readonly path: string;
  readonly name: string;
  readonly dev: bigint;
  readonly ino: bigint;
}

// bigint: 64-bit inode numbers (XFS, btrfs) do not all fit a double.
const statOf = (path: string) => statSync(path, { bigint: true, throwIfNoEntry: false });

/**
 * Records the (device, inode) of the database file and of its WAL, as they are right after opening. SQLite keeps
 * writing to the files it holds open: after one is deleted or replaced under it, its commits succeed and then
 * vanish (a deleted file's inode is freed when the last connection closes; the next process opens whatever the
 * path names). Neither file changes identity while a connection is open: SQLite deletes the WAL only when its
 * last connection closes, and restarts or truncates it in place. One `stat` per file per check (about 2 µs).
 */
export const recordFileIdentity = (filename: string): FileIdentity => {
  // Absolute, as SQLite holds it: a later chdir must not make the file look gone.
  const database = resolve(filename);
  const watched: Watched[] = [];
  for (const [path, name] of [
    [database, 'database file'],
    [`${database}-wal`, 'WAL file (-wal)'],
  ] as const) {
    const stats = statOf(path);
    if (stats !== undefined) watched.push({ path, name, dev: stats.dev, ino: stats.ino });
  }
  return {
    check: () => {
      for (const file of watched) {
        const now = statOf(file.path);
        if (now === undefined) return `${file.name} was deleted while the database was open`;
        if (now.dev !== file.dev || now.ino !== file.ino)
          return `${file.name} was replaced while the database was open`;
      }
      return undefined;
    },
  };
};
