import { configDefaults, defineConfig } from 'vitest/config';

// The PostgreSQL fault test restarts the server that the other PostgreSQL test files use, and CI runs test files in
// parallel: it gets a project of its own that runs after all the others (sequence.groupOrder), alone. The rest of
// the suite keeps running in parallel, so the suite is longer only by that one file.
const ALONE_AT_THE_END = ['examples/src/storage-postgres-faults.test.ts'];

export default defineConfig({
  resolve: { conditions: ['@paraphe/source'] },
  ssr: { resolve: { conditions: ['@paraphe/source'] } },
  test: {
    reporters: ['default', './vitest.summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'paraphe',
          include: ['packages/*/src/**/*.test.ts', 'examples/src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE_AT_THE_END],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'postgres-faults', include: ALONE_AT_THE_END, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
