import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests spawn the built gateway; give slow CI machines room without hiding hangs.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default'],
  },
})
