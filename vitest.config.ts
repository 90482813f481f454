import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn the bot as a child process; keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
  },
});
