// Loggers that say whose line it is. In a scan of many accounts the lines of eight accounts
// interleave; each line about an account starts with its id, as actions/stale starts each line
// with its issue number.
import type { Logger } from './model.js'

/** Writes nothing: for callers and tests that want no log, said explicitly. */
export const silentLogger: Logger = { info: () => {}, warning: () => {}, debug: () => {} }

/** Every message written with `prefix` before it. */
export function prefixed(log: Logger, prefix: string): Logger {
  return {
    info: (message) => log.info(prefix + message),
    warning: (message) => log.warning(prefix + message),
    debug: (message) => log.debug(prefix + message)
  }
}

/**
 * `[123456789012] credential report: 600 rows, …`. The id is AWS's (digits), and the line is
 * escaped as a whole where it is written (the action's logger), so the prefix changes nothing
 * of what the log's escaping sees.
 */
export function forAccount(log: Logger, accountId: string): Logger {
  return prefixed(log, `[${accountId}] `)
}

/** A logger that keeps its lines until they are written, in order, to another. */
export interface HeldLogger extends Logger {
  /** Writes the lines kept so far to `log`, and forgets them. */
  release(log: Logger): void
  /** Nothing kept but debug lines, which a log shows only when asked to (ACTIONS_STEP_DEBUG). */
  quiet(): boolean
}

/**
 * Lines kept to be written together: the action writes each account's lines as one group of
 * the log once its scan ends, while other accounts are scanned at the same time.
 */
export function heldLogger(): HeldLogger {
  let lines: { level: keyof Logger; message: string }[] = []
  const keep = (level: keyof Logger) => (message: string) => void lines.push({ level, message })
  return {
    info: keep('info'),
    warning: keep('warning'),
    debug: keep('debug'),
    release(log) {
      const kept = lines
      lines = []
      for (const { level, message } of kept) log[level](message)
    },
    quiet: () => lines.every((line) => line.level === 'debug')
  }
}
