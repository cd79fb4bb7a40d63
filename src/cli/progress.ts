// Progress on standard error. On a terminal: one status line rewritten in place, with a spinner
// and the seconds elapsed, gone when the scan ends. Elsewhere (CI logs, files): a plain line
// the first time each phase starts, never a line per count.
import type { Logger } from '../core/model.js'
import { logLine } from '../render/escape.js'

export interface StatusStream {
  write(chunk: string): unknown
  isTTY?: boolean
  columns?: number
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const CLEAR_LINE = '\r\u001b[2K'

export class Progress {
  private phase: string | null = null
  /** Phases already printed as lines (off a terminal): each once, even when accounts interleave. */
  private readonly printed = new Set<string>()
  private detail = ''
  private frame = 0
  private timer: ReturnType<typeof setInterval> | null = null
  private readonly started: number

  constructor(
    private readonly stream: StatusStream,
    private readonly clock: () => number = Date.now
  ) {
    this.started = clock()
  }

  /** `Listing users…` with a detail that may change often (`300`). */
  status(phase: string, detail = ''): void {
    this.phase = phase
    this.detail = detail
    if (!this.stream.isTTY) {
      if (!this.printed.has(phase)) this.stream.write(`${phase}\n`)
      this.printed.add(phase)
      return
    }
    // The spinner keeps turning while a call is slow (a report being generated); unref'd so it never holds the process.
    this.timer ??= setInterval(() => this.draw(), 100)
    this.timer.unref?.()
    this.draw()
  }

  /** A line that stays (a warning), printed above the status line. */
  line(text: string): void {
    if (this.stream.isTTY && this.phase !== null) this.stream.write(CLEAR_LINE)
    this.stream.write(`${text}\n`)
    if (this.stream.isTTY && this.phase !== null) this.draw()
  }

  /** Remove the status line; later output starts on a clean line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (this.stream.isTTY && this.phase !== null) this.stream.write(CLEAR_LINE)
    this.phase = null
  }

  /**
   * The core's log: warnings stay, information is progress. Messages quote AWS: each is one
   * line, and never a workflow command when the CLI runs in a workflow step.
   */
  logger(): Logger {
    return {
      info: (message) => (this.stream.isTTY ? this.status(logLine(message)) : this.line(logLine(message))),
      warning: (message) => this.line(`warning: ${logLine(message)}`),
      debug: () => {}
    }
  }

  private draw(): void {
    if (this.phase === null) return
    const seconds = Math.floor((this.clock() - this.started) / 1000)
    const text = `${FRAMES[this.frame++ % FRAMES.length]} ${this.phase}${this.detail ? ` ${this.detail}` : ''} (${seconds}s)`
    // A line that wraps cannot be rewritten in place: cut it to the terminal's width.
    const width = (this.stream.columns || 80) - 1
    this.stream.write(CLEAR_LINE + [...text].slice(0, width).join(''))
  }
}
