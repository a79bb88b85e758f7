import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindingProblemOf, sqliteBindingProblem } from './sqlite-binding.js';

// The loader better-sqlite3 itself uses, asked for a module that was never built: the very error an install that
// skipped the build script meets.
const bindings = createRequire(createRequire(import.meta.url).resolve('better-sqlite3'))('bindings') as (
  name: string,
) => unknown;
const notBuiltError = (): unknown => {
  try {
    bindings('paraphe_never_built.node');
  } catch (cause) {
    return cause;
  }
  throw new Error('the bindings package found a module that does not exist');
};

// What Node's dlopen says of a module built for another ABI (node/src/node_binding.cc), with its error code.
const otherNodeError = Object.assign(
  new Error(
    "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
      'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 127. This version of Node.js ' +
      'requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using ' +
      '`npm rebuild` or `npm install`).',
  ),
  { code: 'ERR_DLOPEN_FAILED' },
);

const throwing = (cause: unknown) => () => {
  throw cause;
};

describe('the SQLite binding check', () => {
  it('finds nothing wrong with the installed driver', () => {
    expect(sqliteBindingProblem()).toBeUndefined();
  });

  it('tells a module never built, from the error the bindings loader throws', () => {
    expect(String((notBuiltError() as Error).message)).toMatch(/^Could not locate the bindings file/);
    expect(sqliteBindingProblem(throwing(notBuiltError()))).toBe('not-built');
  });

  it('tells a module built for another Node version', () => {
    expect(sqliteBindingProblem(throwing(otherNodeError))).toBe('built-for-another-node');
    expect(
      bindingProblemOf(Object.assign(new Error(otherNodeError.message), { code: 'OTHER' })),
    ).toBeUndefined();
  });

  it('leaves any other failure to the opening of the real database, and never throws', () => {
    const other = fc.oneof(
      fc.anything(),
      fc
        .string()
        .filter((m) => !m.startsWith('Could not locate the bindings file'))
        .map((m) => new Error(m)),
      fc
        .string()
        .map((m) =>
          Object.assign(new Error(m.replaceAll('NODE_MODULE_VERSION', '')), { code: 'ERR_DLOPEN_FAILED' }),
        ),
    );
    fc.assert(
      fc.property(other, (cause) => {
        expect(sqliteBindingProblem(throwing(cause))).toBeUndefined();
      }),
    );
  });
});
