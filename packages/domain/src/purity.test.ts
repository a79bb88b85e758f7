// biome-ignore lint/style/noRestrictedImports: this test reads the domain's sources; the domain itself does no I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = dirname(fileURLToPath(import.meta.url));
const packageDir = dirname(srcDir);

const isTestCode = (path: string): boolean =>
  /\.test\.ts$|\.contract\.ts$|\.bench\.ts$/.test(path) || relative(srcDir, path).startsWith('test-support');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !isTestCode(path) ? [path] : [];
  });

const forbiddenModules = [
  'fs',
  'net',
  'http',
  'https',
  'child_process',
  'os',
  'dgram',
  'worker_threads',
  'fs/promises',
  'inversify',
  'reflect-metadata',
  'pg',
  'better-sqlite3',
  'nodemailer',
  'pdf-lib',
  'hono',
];

/** Every module a file imports or re-exports, static or dynamic. */
const importedModules = (source: string): string[] =>
  [
    ...source.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]!);

const isForbidden = (specifier: string): boolean => {
  const name = specifier.replace(/^node:/, '');
  return forbiddenModules.some((module) => name === module || name.startsWith(`${module}/`));
};

/** Reads of the ambient world: time, randomness, environment, timers. */
const ambientCalls: ReadonlyArray<[string, RegExp]> = [
  ['Date.now(', /\bDate\.now\s*\(/],
  ['new Date() without argument', /\bnew\s+Date\s*\(\s*\)/],
  ['new Date without parentheses', /\bnew\s+Date\b(?!\s*\()/],
  ['Math.random(', /\bMath\.random\s*\(/],
  ['process.env', /\bprocess\.env\b/],
  ['performance.now', /\bperformance\.now\b/],
  ['setTimeout', /\bsetTimeout\b/],
  ['setInterval', /\bsetInterval\b/],
  [
    'a call to a crypto random source',
    /\b(?:randomBytes|randomUUID|getRandomValues|randomInt|randomFill(?:Sync)?)\s*\(/,
  ],
];

/** Removes comments, so that a rule quoted in JSDoc is not taken for a call. */
const withoutComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('the domain is pure', () => {
  const files = sourceFiles(srcDir);

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.endsWith('signer-transitions.ts'))).toBe(true);
  });

  it.each(files.map((f) => [relative(srcDir, f), f]))(
    '%s imports no I/O, framework or adapter library',
    (_, file) => {
      const source = readFileSync(file, 'utf8');
      expect(importedModules(source).filter(isForbidden)).toEqual([]);
    },
  );

  it.each(files.map((f) => [relative(srcDir, f), f]))(
    '%s reads no clock, randomness, environment or timer',
    (_, file) => {
      const code = withoutComments(readFileSync(file, 'utf8'));
      expect(ambientCalls.filter(([, pattern]) => pattern.test(code)).map(([name]) => name)).toEqual([]);
    },
  );

  it('the checks catch what they look for', () => {
    expect(
      importedModules('import { readFileSync } from \'node:fs\';\nexport * from "pg";').filter(isForbidden),
    ).toEqual(['node:fs', 'pg']);
    expect(
      importedModules("import 'reflect-metadata';\nconst x = await import('node:os');").filter(isForbidden),
    ).toEqual(['reflect-metadata', 'node:os']);
    expect(
      importedModules("import { a } from './fs.js';\nimport * as t from 'io-ts';").filter(isForbidden),
    ).toEqual([]);
    const caught = (code: string) => ambientCalls.filter(([, p]) => p.test(withoutComments(code))).length;
    expect(caught('const t = new Date();')).toBe(1);
    expect(caught('const t = new Date(ms);')).toBe(0);
    expect(caught('// never Date.now() here\nconst x = 1;')).toBe(0);
    expect(caught('const r = Math.random();')).toBe(1);
  });

  it('depends only on fp-ts and io-ts, with libphonenumber-js and date-fns bundled', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      inlinedDependencies?: ReadonlyArray<string>;
    };
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(['fp-ts', 'io-ts']);
    expect([...(manifest.inlinedDependencies ?? [])].sort()).toEqual(['date-fns', 'libphonenumber-js']);
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
  });
});
