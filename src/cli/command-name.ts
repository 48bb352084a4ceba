/**
 * How messages name this gateway's own CLI, so every "run …" hint is a command that exists here (not upstream's
 * `moltbot …`). From a checkout or the Docker image's working dir (`/app`) this is the entry point; `npm run gateway`
 * and the `clawdbot-edge` bin run the same file.
 */
export const CLI_COMMAND = 'node dist/index.js'
