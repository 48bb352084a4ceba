import { defineConfig } from 'rolldown'

// Bundles the Node server (src/index.ts and everything it imports, node_modules included) into dist/, so the runtime
// image needs only Node and dist/. Dynamic imports (the provider SDKs, the embedded Control UI, anything added later)
// become chunks in dist/chunks/ that load on first use, which keeps them out of idle memory.
// `npm run build` runs this after `vite build` and `src/scripts/embed-ui.mjs`; the UI module it bundles comes from
// there, so the UI build output in dist/ui is no longer needed and `cleanDir` removes it with any stale chunks.
export default defineConfig({
  input: { index: 'src/index.ts' },
  platform: 'node',
  tsconfig: 'tsconfig.json',
  plugins: [
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
    cleanDir: true,
    format: 'esm',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Readable stack traces matter more than the few hundred KB minifying would save (dist/ stays under 5 MB).
    minify: false,
    sourcemap: false,
  },
})
