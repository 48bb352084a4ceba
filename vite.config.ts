import { defineConfig } from 'vite'

// Builds the browser Control UI (src/ui) into dist/ui with hashed asset names; `src/scripts/embed-ui.mjs` then
// embeds that folder into the server bundle. Relative URLs (`./assets/…`) keep deep links and a proxy prefix working.
export default defineConfig({
  root: 'src/ui',
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: '../../dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Nothing may be inlined as a data: URL script or style; the page's CSP forbids inline code.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
})
