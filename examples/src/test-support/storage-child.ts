import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** A script of `examples/scripts` running in its own Node process, spoken to line by line. */
export interface ChildScript {
  readonly process: ChildProcess;
  /** Resolves with the first line (from now on, or already received) that satisfies `test`. */
  readonly waitForLine: (test: (line: string) => boolean) => Promise<string>;
  readonly send: (line: string) => void;
  /** Every line printed so far. */
  readonly lines: ReadonlyArray<string>;
  /** Resolves with the exit code, or the signal that ended the process. */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/** `as`: the user and group the process runs as (root only), e.g. to meet a file it cannot write. */
export const startScript = (
  script: string,
  args: ReadonlyArray<string>,
  as: { readonly uid?: number; readonly gid?: number } = {},
): ChildScript => {
  const path = fileURLToPath(new URL(`../../scripts/${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@paraphe/source', path, ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...as,
  });
  const lines: string[] = [];
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  return {
    process: child,
    lines,
    send: (line) => child.stdin?.write(`${line}\n`),
    exited,
    waitForLine: (test) => {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        waiters.push({ test, resolve });
        void exited.then((how) =>
          reject(
            new Error(`${script} ended (${how}) before the expected line; stderr: ${stderr.slice(-2000)}`),
          ),
        );
      });
    },
  };
};
