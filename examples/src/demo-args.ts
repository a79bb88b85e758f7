import { parseArgs } from 'node:util';

export interface DemoArgs {
  readonly out: string;
  readonly document?: string;
}

/** `--out <dir>` (default ./out) and `--document <file.pdf>`. */
export const demoArgs = (argv: ReadonlyArray<string>): DemoArgs => {
  const { values } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string', default: 'out' }, document: { type: 'string' } },
    allowPositionals: false,
  });
  return {
    out: values.out ?? 'out',
    ...(values.document === undefined ? {} : { document: values.document }),
  };
};
