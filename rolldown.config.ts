import { rmSync } from 'node:fs'
import { defineConfig } from 'rolldown'

// Bundles the Node server (src/index.ts and everything it imports, node_modules included) into dist/, so the runtime
// image needs only Node and dist/. Dynamic imports (the provider SDKs, the embedded Control UI, anything added later)
// become chunks in dist/chunks/ that load on first use, which keeps them out of idle memory.
// `npm run build` runs this after `vite build` and `src/scripts/embed-ui.mjs`, which write dist/ui and the UI module
// bundled from it. dist/ui stays (test/bench/ui-load.mjs measures it); the server never reads it.
export default defineConfig({
  input: { index: 'src/index.ts' },
  platform: 'node',
  tsconfig: 'tsconfig.json',
  // dist/ must run with no node_modules, so an import the bundler cannot resolve (a dependency missing from
  // node_modules, e.g. after adding one without `npm ci`) fails the build instead of becoming a runtime error.
  onLog(level, log, handler) {
    if (log.code === 'UNRESOLVED_IMPORT') throw new Error(`${log.message}\nRun \`npm ci\` so every dependency is installed, then build again.`)
    handler(level, log)
  },
  plugins: [
    {
      // Chunk names carry content hashes, so chunks of earlier builds would pile up; dist/ui is left alone.
      name: 'clean-server-output',
      buildStart() {
        for (const stale of ['dist/index.js', 'dist/chunks', 'dist/package.json']) rmSync(stale, { recursive: true, force: true })
      },
    },
    {
      // Without a package.json above it, Node would have to guess the module format of dist/*.js on every start.
      name: 'esm-package-marker',
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: 'package.json', source: '{ "type": "module" }\n' })
      },
    },
  ],
  output: {
    dir: 'dist',
    format: 'esm',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Readable stack traces matter more than the bytes minifying would save; it gave no measurable RSS gain.
    minify: false,
    // V8 keeps every script's source in memory, as two bytes per character once one character is beyond Latin-1:
    // ASCII output without comments (license notices kept) held ~1.7 MB less at idle on Node 24.
    charset: 'ascii',
    comments: { legal: true, annotation: false, jsdoc: false },
    sourcemap: false,
  },
})
