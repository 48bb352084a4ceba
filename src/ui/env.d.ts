/** Vite turns imported assets into their final (hashed) URLs. */
declare module '*.svg' {
  const url: string
  export default url
}
