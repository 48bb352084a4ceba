/**
 * A command-line failure: the lines to print on stderr and the exit code. Thrown by argument parsing and by the
 * start-up checks so that the Node entry renders every refusal in one place.
 */
export class CliError extends Error {
  readonly lines: string[]
  readonly exitCode: number
  /** Print the command's usage after the message, as upstream's commander does for bad flags. */
  readonly showUsage: boolean

  constructor(lines: string | string[], options?: { exitCode?: number; showUsage?: boolean }) {
    const all = Array.isArray(lines) ? lines : [lines]
    super(all.join('\n'))
    this.name = 'CliError'
    this.lines = all
    this.exitCode = options?.exitCode ?? 1
    this.showUsage = options?.showUsage ?? false
  }
}
