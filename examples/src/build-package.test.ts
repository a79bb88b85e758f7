import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * build-package.mjs on a package of its own making: what it bundles, what it leaves as an import, and the mistakes it
 * refuses (a library imported without being declared, one declared and not used, one declared but not installed to
 * build). The real packages are built by the consumer test.
 */
const script = resolve(import.meta.dirname, '../../build-package.mjs');
const made: string[] = [];

interface Fixture {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly inlinedDependencies?: ReadonlyArray<string>;
  readonly source: string;
}

const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

const library = (dir: string, name: string, code: string) => {
  write(
    join(dir, 'node_modules', name, 'package.json'),
    JSON.stringify({ name, version: '1.2.3', license: 'MIT', type: 'module', main: 'index.js' }),
  );
  write(join(dir, 'node_modules', name, 'index.js'), code);
  write(join(dir, 'node_modules', name, 'LICENSE'), `The licence of ${name}.`);
};

const packageWith = (fixture: Fixture): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paraphe-build-package-'));
  made.push(dir);
  write(
    join(dir, 'package.json'),
    JSON.stringify({
      name: '@paraphe/fixture',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      dependencies: fixture.dependencies ?? {},
      devDependencies: fixture.devDependencies ?? {},
      inlinedDependencies: fixture.inlinedDependencies ?? [],
    }),
  );
  write(join(dir, 'tsconfig.build.json'), JSON.stringify({ compilerOptions: { target: 'ES2022' } }));
  write(join(dir, 'src/index.ts'), fixture.source);
  library(dir, 'kept-lib', 'export const kept = () => "kept";\n');
  library(dir, 'inlined-lib', 'export const inlinedMarker = () => "inlined-lib-body";\n');
  return dir;
};

const build = (dir: string): Promise<{ readonly ok: boolean; readonly output: string }> =>
  new Promise((done) => {
    execFile(process.execPath, [script], { cwd: dir, encoding: 'utf8' }, (error, stdout, stderr) =>
      done({ ok: error === null, output: `${stdout}${stderr}` }),
    );
  });

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('build-package.mjs', () => {
  it('bundles a declared library with its licence, and leaves a dependency as an import', async () => {
    const dir = packageWith({
      dependencies: { 'kept-lib': '^1.0.0' },
      devDependencies: { 'inlined-lib': '^1.0.0' },
      inlinedDependencies: ['inlined-lib'],
      source:
        "import { kept } from 'kept-lib';\nimport { inlinedMarker } from 'inlined-lib';\n" +
        'export const both = (): string => kept() + " " + inlinedMarker();\n',
    });
    const built = await build(dir);
    expect(built.ok, built.output).toBe(true);
    const bundle = readFileSync(join(dir, 'dist/index.js'), 'utf8');
    expect(bundle).toContain('inlined-lib-body');
    expect(bundle).toMatch(/from "kept-lib"/);
    expect(bundle).not.toContain('"kept"');
    const licences = readFileSync(join(dir, 'dist/THIRD-PARTY-LICENSES.md'), 'utf8');
    expect(licences).toContain('## inlined-lib 1.2.3');
    expect(licences).toContain('The licence of inlined-lib.');
    expect(licences).not.toContain('kept-lib');
    const { both } = (await import(join(dir, 'dist/index.js'))) as { both: () => string };
    expect(both()).toBe('kept inlined-lib-body');
  });

  const mistakes: ReadonlyArray<readonly [string, Fixture, RegExp]> = [
    [
      'a library the sources import that is neither a dependency nor declared inlined',
      {
        devDependencies: { 'inlined-lib': '^1.0.0' },
        source: "export { inlinedMarker } from 'inlined-lib';\n",
      },
      /imports inlined-lib, neither a dependency nor inlined/,
    ],
    [
      'a library declared inlined that nothing imports',
      {
        devDependencies: { 'inlined-lib': '^1.0.0' },
        inlinedDependencies: ['inlined-lib'],
        source: 'export const alone = 1;\n',
      },
      /inlined-lib is declared inlined but nothing imports it/,
    ],
    [
      'a library declared inlined that is not a devDependency',
      {
        dependencies: { 'inlined-lib': '^1.0.0' },
        inlinedDependencies: ['inlined-lib'],
        source: "export { inlinedMarker } from 'inlined-lib';\n",
      },
      /inlined inlined-lib must be a devDependency/,
    ],
  ];
  it.each(mistakes)('refuses %s', async (_, fixture, reason) => {
    const built = await build(packageWith(fixture));
    expect(built.ok).toBe(false);
    expect(built.output).toMatch(reason);
  });
});
