import { format } from 'node:util';

export interface OutputCapture {
  /** Everything written to stdout, stderr or the console since `captureOutput()`. */
  readonly text: () => string;
  readonly restore: () => void;
}

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Records (and still prints) what the process writes, so a test can search it for secrets. */
export const captureOutput = (): OutputCapture => {
  const chunks: string[] = [];
  const restorers: Array<() => void> = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function (this: typeof stream, chunk: unknown, ...rest: unknown[]) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restorers.push(() => {
      stream.write = original;
    });
  }
  for (const method of consoleMethods) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      chunks.push(format(...args));
      original.apply(console, args);
    };
    restorers.push(() => {
      console[method] = original;
    });
  }
  return {
    text: () => chunks.join('\n'),
    restore: () => {
      for (const restore of restorers.splice(0).reverse()) restore();
    },
  };
};
