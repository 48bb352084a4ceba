import type { EmbeddedUiFile } from './assets.generated.js'

/** A UI file ready to serve: decoded bytes plus the headers that never change. */
export interface UiAsset {
  type: string
  etag: string
  body: Uint8Array
}

/** The built Control UI: files by path relative to the UI root (`index.html`, `assets/…`). */
export type UiAssets = ReadonlyMap<string, UiAsset>

/**
 * Loads the Control UI embedded at build time, or `undefined` when the UI has not been built (the generated module
 * is missing). The bundle is a plain module import, so Node and Workers serve the same bytes without a filesystem.
 */
export async function loadUiAssets(): Promise<UiAssets | undefined> {
  let files: Record<string, EmbeddedUiFile>
  try {
    files = (await import('./assets.generated.js')).UI_FILES
  } catch {
    return undefined
  }
  return toUiAssets(files)
}

/** Decodes embedded files once; also used by tests that serve a hand-made bundle. */
export function toUiAssets(files: Record<string, EmbeddedUiFile>): UiAssets {
  const encoder = new TextEncoder()
  const assets = new Map<string, UiAsset>()
  for (const [path, file] of Object.entries(files)) {
    const body = file.encoding === 'base64' ? decodeBase64(file.body) : encoder.encode(file.body)
    assets.set(path, { type: file.type, etag: `"${file.hash}"`, body })
  }
  return assets
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  return bytes
}
