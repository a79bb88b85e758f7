import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@paraphe/source'] },
  ssr: { resolve: { conditions: ['@paraphe/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
