import { watch, type FSWatcher } from 'node:fs'
import type { Logger } from '../../logging/logger.js'

export interface ConfigFileWatcher {
  close(): void
}

/**
 * Watches the config file's folder (not the file itself), so editors that save by rename, `tee` over SSH and a
 * config created after an unconfigured start are all seen. Bursts of events collapse into one call after the
 * debounce; the caller compares content before doing any work.
 */
export function watchConfigFile(options: {
  dir: string
  names: readonly string[]
  debounceMs: () => number
  onChange: () => void
  logger: Logger
}): ConfigFileWatcher {
  let timer: ReturnType<typeof setTimeout> | undefined
  let watcher: FSWatcher | undefined
  try {
    watcher = watch(options.dir, { persistent: false }, (_event, filename) => {
      if (filename !== null && !options.names.includes(filename.toString())) return
      if (timer) clearTimeout(timer)
      timer = setTimeout(options.onChange, options.debounceMs())
    })
    watcher.on('error', (error) => options.logger.warn(`config watcher stopped: ${error.message}; edits now need a restart`))
  } catch (error) {
    options.logger.warn(
      `cannot watch ${options.dir} for config edits (${(error as Error).message}); edits need a restart to apply`,
    )
  }
  return {
    close() {
      if (timer) clearTimeout(timer)
      watcher?.close()
    },
  }
}
