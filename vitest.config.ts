import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Integration tests spawn the built gateway; give slow CI machines room without hiding hangs.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'node', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/matrix/**'] } },
      // The runtime matrix (test/matrix/runtimes.ts): each suite runs on the Node gateway and on the worker in workerd.
      { extends: true, test: { name: 'matrix', include: ['test/matrix/**/*.test.ts'], globalSetup: ['test/matrix/global-setup.ts'] } },
    ],
  },
})
