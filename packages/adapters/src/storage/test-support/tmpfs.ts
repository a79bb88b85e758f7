import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A small tmpfs of the test's own: a disk that fills up, a file system that turns read-only. */
export interface Tmpfs {
  readonly dir: string;
  /** `ro`: nobody writes, root included; `rw`: writable again. */
  readonly remount: (mode: 'ro' | 'rw') => void;
  /** Writes a file that leaves about `bytes` free; `free` deletes it. */
  readonly fill: (bytes: number) => void;
  readonly free: () => void;
  readonly unmount: () => void;
}

const mount = (args: ReadonlyArray<string>) => execFileSync('mount', args, { stdio: 'pipe' });

export const mountTmpfs = (size = '4m'): Tmpfs => {
  const dir = mkdtempSync(join(tmpdir(), 'paraphe-tmpfs-'));
  // mode=1777 like /tmp: a process of another user may create its files there.
  mount(['-t', 'tmpfs', '-o', `size=${size},mode=1777`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    remount: (mode) => mount(['-o', `remount,${mode}`, dir]),
    fill: (bytes) => {
      const { bavail, bsize } = statfsSync(dir);
      writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - bytes)));
    },
    free: () => rmSync(filler, { force: true }),
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Why this process cannot mount a tmpfs (not root, or mounting is not allowed here), or nothing when it can. */
const whyNoMount = (): string | undefined => {
  if (process.getuid?.() !== 0) return 'the tests do not run as root';
  try {
    mountTmpfs('64k').unmount();
    return undefined;
  } catch (error) {
    return `mounting a tmpfs failed: ${error instanceof Error ? error.message : String(error)}`;
  }
};

/**
 * A suite that needs root (to mount a tmpfs, to run a process as another user): without it the suite holds one
 * test, skipped outside CI and failing under CI.
 */
export const describeAsRoot = (name: string, body: () => void): void => {
  const missing = whyNoMount();
  describe(name, () => {
    if (missing === undefined) return body();
    it.skipIf(process.env.CI !== 'true')(`${name}: needs root and a tmpfs (${missing})`, () => {
      expect.fail(missing);
    });
  });
};
