import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@paraphe/source'] },
  ssr: { resolve: { conditions: ['@paraphe/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/src/**/*.test.ts'],
    reporters: ['default', './vitest.summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
