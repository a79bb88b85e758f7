import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A CRM installing Paraphe from its packed packages, as a registry would serve them: every package built and packed
 * (pnpm pack, so workspace ranges become versions), installed with npm into a project outside the workspace, with
 * `--engine-strict` and from an empty npm cache, as on a fresh CI machine. better-sqlite3's install script finds its
 * prebuilt binary in a folder of local prebuilds (prebuild-install's `local_prebuilds`), made of the workspace's own
 * build, as it would download one from its releases on a machine with network: this one has none, and compiling
 * SQLite twice took most of the test's time. Then examples/consumer/ is type-checked with `strict` and
 * `skipLibCheck: false` and run: the story on SQLite, a stray `)`, missing drivers, the storage contract suite from the
 * testing entry point under the consumer's own vitest, the import probe, a stack trace mapped to Paraphe's sources,
 * and no dead link in the installed READMEs.
 * Then the pnpm 12 route on the same tarballs: `pnpm add` stops on better-sqlite3's unapproved build, createParaphe
 * answers INVALID_CONFIG naming the commands that build it, `pnpm approve-builds better-sqlite3` builds it and the
 * story runs. Each route prints its timings. They run under CI; locally, PARAPHE_SKIP_CONSUMER_TEST=1 skips them.
 */
const root = resolve(import.meta.dirname, '../..');
const PACKAGES = ['domain', 'adapters', 'app'] as const;
const underCi = process.env.CI === 'true';
const skipped = !underCi && process.env.PARAPHE_SKIP_CONSUMER_TEST === '1';

interface Ran {
  readonly stdout: string;
  readonly stderr: string;
}

const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: {
    readonly cwd: string;
    readonly timeoutMs?: number;
    readonly env?: NodeJS.ProcessEnv;
    /** Without this run's own VITEST_* variables, for a vitest of the consumer's. */
    readonly outside?: boolean;
  },
): Promise<Ran> =>
  new Promise((done, fail) => {
    const inherited = options.outside
      ? Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')))
      : process.env;
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...inherited, ...options.env },
        timeout: options.timeoutMs ?? 5 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) return done({ stdout, stderr });
        const why = error.killed
          ? `killed after ${options.timeoutMs} ms (a hang)`
          : `exit ${String(error.code)}`;
        fail(
          new Error(`${command} ${args.join(' ')}: ${why}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`),
        );
      },
    );
  });

const timings: Array<readonly [string, number]> = [];
const timed = async <A>(step: string, work: () => Promise<A>): Promise<A> => {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push([step, (performance.now() - started) / 1000]);
  }
};

/**
 * The better-sqlite3 the workspace installed and built, as the prebuilt binary its install script looks for (named
 * for its version, Node's ABI and the platform), in `dir`; returns that version, which the CRM then installs.
 */
const localSqlitePrebuild = (dir: string): string => {
  const manifest = createRequire(join(root, 'packages/adapters/package.json')).resolve(
    'better-sqlite3/package.json',
  );
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const bundle = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', [
    '-czf',
    join(dir, bundle),
    '-C',
    dirname(manifest),
    'build/Release/better_sqlite3.node',
  ]);
  return version;
};

const workspaceVersion = (name: string): string => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const adapters = JSON.parse(readFileSync(join(root, 'packages/adapters/package.json'), 'utf8')) as {
    peerDependencies: Record<string, string>;
  };
  const version = manifest.devDependencies[name] ?? adapters.peerDependencies[name];
  if (version === undefined) throw new Error(`no version of ${name} in the workspace`);
  return `${name}@${version}`;
};

/** npm's output names a package whose `engines` the running Node does not meet: fail, do not warn. */
const expectNoEngineWarning = (ran: Ran) => expect(`${ran.stdout}\n${ran.stderr}`).not.toMatch(/EBADENGINE/);

/** Where better-sqlite3's install script looks for its prebuilt binary (see `localSqlitePrebuild`). */
const withLocalPrebuilds = (prebuilds: string) => ({ npm_config_better_sqlite3_local_prebuilds: prebuilds });

const npmInstall = async (
  project: string,
  cache: string,
  prebuilds: string,
  specs: ReadonlyArray<string>,
) => {
  const ran = await run(
    'npm',
    [
      'install',
      '--engine-strict',
      '--no-audit',
      '--no-fund',
      '--cache',
      cache,
      '--foreground-scripts',
      ...specs,
    ],
    // Should better-sqlite3 compile from source after all: both cores.
    {
      cwd: project,
      env: { JOBS: 'max', npm_config_update_notifier: 'false', ...withLocalPrebuilds(prebuilds) },
    },
  );
  expectNoEngineWarning(ran);
  return ran;
};

const printTimings = (title: string, started: number, lines: ReadonlyArray<string>) => {
  process.stdout.write(
    `\n${title} (${((performance.now() - started) / 1000).toFixed(1)} s in all):\n` +
      `${timings.map(([step, seconds]) => `  ${seconds.toFixed(1).padStart(6)} s  ${step}`).join('\n')}\n` +
      lines.map((line) => `  ${line}\n`).join(''),
  );
  timings.length = 0;
};

describe.skipIf(skipped)('a CRM installing the packed packages', () => {
  // Shared by both routes: the pnpm one installs the tarballs the npm one packed and runs the consumer it compiled.
  let work = '';
  let project = '';
  let packs = '';
  let prebuilds = '';
  let sqlite = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'paraphe-consumer-'));
    project = join(work, 'crm');
    packs = join(work, 'packs');
    prebuilds = join(work, 'prebuilds');
    sqlite = `better-sqlite3@${localSqlitePrebuild(prebuilds)}`;
  });
  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it(
    'with npm: type-checks strictly and runs on SQLite: the whole story, a stray `)` in bounded time, missing drivers named',
    async () => {
      const cache = join(work, 'npm-cache');
      mkdirSync(project);
      mkdirSync(packs);
      const started = performance.now();
      writeFileSync(
        join(project, 'package.json'),
        `${JSON.stringify(
          {
            name: 'a-crm',
            private: true,
            type: 'module',
            // npm 11 runs install scripts it was not told about with a warning; later versions skip them.
            allowScripts: { 'better-sqlite3': true },
          },
          null,
          2,
        )}\n`,
      );
      // The driver compiles while the packages build: the two longest steps side by side.
      await Promise.all([
        timed(
          'npm install better-sqlite3 hono @hono/node-server typescript @types/node vitest (cold cache)',
          () =>
            npmInstall(project, cache, prebuilds, [
              sqlite,
              workspaceVersion('hono'),
              workspaceVersion('@hono/node-server'),
              workspaceVersion('typescript'),
              workspaceVersion('@types/node'),
              workspaceVersion('vitest'),
            ]),
        ),
        timed('build and pack @paraphe/domain, adapters, app', async () => {
          await Promise.all(
            PACKAGES.map(async (name) => {
              const dir = join(root, 'packages', name);
              rmSync(join(dir, 'dist'), { recursive: true, force: true });
              await run('npx', ['-y', 'pnpm@12.4.2', 'run', 'build'], { cwd: dir });
            }),
          );
          for (const name of PACKAGES)
            await run('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packs], {
              cwd: join(root, 'packages', name),
            });
        }),
      ]);
      const tarballs = readdirSync(packs).map((file) => join(packs, file));
      expect(tarballs).toHaveLength(PACKAGES.length);
      for (const tarball of tarballs) {
        const listed = await run('tar', ['-tzf', tarball], { cwd: work });
        expect(listed.stdout, tarball).toContain('package/README.md');
        expect(listed.stdout, tarball).not.toMatch(/\.test\.(js|d\.ts)\n/);
      }
      await timed('npm install the three tarballs', () => npmInstall(project, cache, prebuilds, tarballs));
      const installed = JSON.parse(
        readFileSync(join(project, 'node_modules/@paraphe/app/package.json'), 'utf8'),
      ) as { dependencies: Record<string, string> };
      expect(installed.dependencies['@paraphe/domain']).toMatch(/^\^\d+\.\d+\.\d+$/);

      // The libraries a package bundles are in its JavaScript, not installed, and their licences ship with it.
      for (const name of PACKAGES) {
        const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as {
          inlinedDependencies?: ReadonlyArray<string>;
        };
        const licences = readFileSync(
          join(project, 'node_modules/@paraphe', name, 'dist/THIRD-PARTY-LICENSES.md'),
          'utf8',
        );
        for (const inlined of manifest.inlinedDependencies ?? []) {
          expect(existsSync(join(project, 'node_modules', inlined)), inlined).toBe(false);
          expect(licences, `${name} ${inlined}`).toContain(`## ${inlined} `);
        }
      }

      // Every relative link of an installed package's READMEs leads to a file the package ships.
      for (const name of PACKAGES) {
        const dir = join(project, 'node_modules/@paraphe', name);
        const readmes = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) =>
          file.endsWith('README.md'),
        );
        expect(readmes, name).toContain('README.md');
        for (const readme of readmes) {
          for (const [, target = ''] of readFileSync(join(dir, readme), 'utf8').matchAll(
            /\]\(([^)#\s]+)[^)]*\)/g,
          )) {
            if (/^[a-z]+:/.test(target)) continue;
            expect(existsSync(join(dir, dirname(readme), target)), `${name}/${readme} -> ${target}`).toBe(
              true,
            );
          }
        }
      }

      for (const file of ['consumer.ts', 'entry-points.ts', 'contracts.test.ts', 'tsconfig.json'])
        copyFileSync(join(root, 'examples/consumer', file), join(project, file));
      await timed('tsc (strict, skipLibCheck: false)', () =>
        run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
          cwd: project,
        }),
      );

      const consumer = async (mode: string, timeoutMs: number) => {
        const ran = await timed(`node dist/consumer.js ${mode}`, () =>
          run(process.execPath, ['dist/consumer.js', mode, project], { cwd: project, timeoutMs }),
        );
        return JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      };
      const story = await consumer('story', 120_000);
      expect(story).toMatchObject({ status: 'signed', signatures: 1, credits: { available: 1 } });
      // A hang (the parser that never ended on a stray delimiter) is killed and fails the test.
      const stray = await consumer('stray', 60_000);
      expect(String(stray.outcome)).toMatch(/^(signed|[a-zA-Z]+: [A-Z_]+)$/);
      const drivers = await consumer('drivers', 60_000);
      expect(drivers.refused).toEqual([
        "Paraphe's configuration is not valid (storage): install pg",
        "Paraphe's configuration is not valid (mail): install nodemailer",
      ]);

      // The contract suites, from the installed testing entry point, as a CRM runs them on adapters of its own.
      const contracts = await timed('vitest run contracts.test.ts (@paraphe/adapters/testing)', () =>
        run(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', 'contracts.test.ts'], {
          cwd: project,
          timeoutMs: 180_000,
          env: { NO_COLOR: '1', FORCE_COLOR: '0' },
          outside: true,
        }),
      );
      const passed = /Tests\s+(\d+) passed/.exec(contracts.stdout)?.[1];
      expect(Number(passed), contracts.stdout.slice(-2000)).toBeGreaterThan(50);
      expect(contracts.stdout).not.toMatch(/failed/);

      // What the memory + SQLite configuration loads, measured on the installed packages.
      for (const file of ['import-probe.mjs', 'import-probe-hooks.mjs'])
        copyFileSync(join(root, 'packages/app/bench', file), join(project, file));
      const probe = async (...flags: ReadonlyArray<string>) => {
        const probed = await run(process.execPath, ['import-probe.mjs', 'sqlite', ...flags], {
          cwd: project,
          timeoutMs: 60_000,
        });
        return JSON.parse(probed.stdout.trim()) as {
          created: string;
          modules?: number;
          rssStartMb: number;
          rssMb: number;
          packages?: Record<string, number>;
        };
      };
      const counted = await timed('import probe', () => probe('--modules', join(work, 'modules.log')));
      const measured = await probe();
      expect(counted.created).toBe('ok');
      for (const driver of ['pg', 'nodemailer', 'hono', '@hono/node-server', '@cantoo/pdf-lib'])
        expect(counted.packages?.[driver] ?? 0, driver).toBe(0);

      // The bundles' source maps ship with their sources: with --enable-source-maps, a stack names Paraphe's file.
      const thrown = await run(
        process.execPath,
        [
          '--enable-source-maps',
          '--input-type=module',
          '-e',
          "import { makeAdjustableClock } from '@paraphe/adapters'; makeAdjustableClock(new Date()).advanceBy(-1);",
        ],
        { cwd: project },
      ).then(
        () => '',
        (error: Error) => error.message,
      );
      expect(thrown).toMatch(/only moves forward\n\s+at .*src\/clock\/clocks\.ts:\d+:\d+/);

      printTimings('Consumer test, npm route', started, [
        `story: ${JSON.stringify(story)}`,
        `stray ')': ${JSON.stringify(stray)}`,
        `storage contract from @paraphe/adapters/testing: ${passed} tests passed`,
        `memory + SQLite, installed: ${counted.modules} modules, ${measured.rssMb} MB RSS ` +
          `(+${(measured.rssMb - measured.rssStartMb).toFixed(1)} MB), no pg, nodemailer, hono or PDF module`,
      ]);
    },
    15 * 60_000,
  );

  it(
    'with pnpm 12: an unapproved better-sqlite3 build is INVALID_CONFIG at createParaphe naming the fix; approved, the story runs',
    async () => {
      const crm = join(work, 'crm-pnpm');
      mkdirSync(crm);
      const started = performance.now();
      const tarball = (name: string) =>
        join(packs, readdirSync(packs).find((file) => file.startsWith(`paraphe-${name}-`)) ?? `no ${name}`);
      writeFileSync(
        join(crm, 'package.json'),
        `${JSON.stringify({ name: 'a-crm-on-pnpm', private: true, type: 'module' }, null, 2)}\n`,
      );
      // As the README says: pnpm looks the packages' dependencies on each other up in the registry, so the CRM points
      // them at the tarballs.
      writeFileSync(
        join(crm, 'pnpm-workspace.yaml'),
        `overrides:\n  "@paraphe/domain": file:${tarball('domain')}\n  "@paraphe/adapters": file:${tarball('adapters')}\n`,
      );
      const pnpm = (args: ReadonlyArray<string>) =>
        run('npx', ['-y', 'pnpm@12.4.2', ...args], {
          cwd: crm,
          env: { JOBS: 'max', ...withLocalPrebuilds(prebuilds) },
        });
      // pnpm runs no build script it was not told about: the install stops there, every package in place.
      const refused = await timed(
        'pnpm add the tarballs and better-sqlite3, build not approved (cold store)',
        () =>
          pnpm(['add', '--store-dir', join(work, 'pnpm-store'), ...PACKAGES.map(tarball), sqlite]).then(
            () => 'installed',
            (error: unknown) => String(error),
          ),
      );
      expect(refused).toMatch(/ERR_PNPM_IGNORED_BUILDS/);

      cpSync(join(project, 'dist'), join(crm, 'dist'), { recursive: true });
      const consumer = async (mode: string, timeoutMs: number) => {
        const ran = await timed(`node dist/consumer.js ${mode}`, () =>
          run(process.execPath, ['dist/consumer.js', mode, crm], { cwd: crm, timeoutMs }),
        );
        return JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      };
      const unbuilt = await consumer('start', 60_000);
      expect(unbuilt).toMatchObject({
        created: false,
        code: 'INVALID_CONFIG',
        details: {
          fields: 'storage',
          notBuilt: 'better-sqlite3',
          install: 'pnpm approve-builds && pnpm rebuild better-sqlite3',
          installWithNpm: 'npm rebuild better-sqlite3',
        },
      });

      await timed('pnpm approve-builds better-sqlite3 (runs its install script)', () =>
        pnpm(['approve-builds', 'better-sqlite3']),
      );
      expect(readFileSync(join(crm, 'pnpm-workspace.yaml'), 'utf8')).toMatch(/better-sqlite3: true/);
      expect(await consumer('start', 60_000)).toEqual({ mode: 'start', created: true });
      const story = await consumer('story', 120_000);
      expect(story).toMatchObject({ status: 'signed', signatures: 1, credits: { available: 1 } });
      printTimings('Consumer test, pnpm route', started, [
        `before approval: ${String((unbuilt.message as { en?: string } | undefined)?.en)}`,
        `story: ${JSON.stringify(story)}`,
      ]);
    },
    15 * 60_000,
  );
});
