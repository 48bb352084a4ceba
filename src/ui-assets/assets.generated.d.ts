/**
 * Types of the Control UI bundle embedded at build time. The module itself (`assets.generated.js`) is written by
 * `src/scripts/embed-ui.mjs` from `dist/ui/` and is git-ignored; this declaration is committed so the server
 * typechecks before the UI is built.
 */

/** One file of the built UI: its content type, a content hash for the ETag, and its body. */
export interface EmbeddedUiFile {
  type: string
  hash: string
  /** `utf8` bodies are the text itself; `base64` bodies are binary files. */
  encoding: 'utf8' | 'base64'
  body: string
}

/** Every file of `dist/ui/`, keyed by its path relative to that folder (`index.html`, `assets/index-1a2b3c.js`). */
export declare const UI_FILES: Record<string, EmbeddedUiFile>
