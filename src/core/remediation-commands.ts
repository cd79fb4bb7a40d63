// Remediation commands in a comment on a tracking issue (DESIGN.md, Remediation): `/deactivate`,
// `/reactivate` and `/delete`, one per line, naming IAM user access keys by their full id.
//
// A command is a line that GitHub shows as a line of the comment's own text: not a line of a code
// block (fenced or indented), of a quote (`> /deactivate …` quotes someone else), or of an HTML
// comment (hidden from readers). Where the parser cannot be sure what the reader sees, it errs on
// the side of running nothing.
//
// The caller runs nothing when `errors` is not empty, not even the valid commands: a comment is
// obeyed whole or not at all, and the reply lists the errors (with ACCEPTED_SYNTAX). `commands`
// still lists the valid ones, for the reply and the log. Pure: no GitHub, no AWS.

export const REMEDIATION_VERBS = ['deactivate', 'reactivate', 'delete'] as const
export type RemediationVerb = (typeof REMEDIATION_VERBS)[number]

export interface RemediationCommand {
  verb: RemediationVerb
  /** Full IAM user access key ids (`AKIA` and 16 more), each once, in the order named. */
  keyIds: string[]
  /** `--force`: deactivate a key used within remediation-quiet-days. Only with /deactivate. */
  force: boolean
  /** `--dry-run`: say what would happen, change nothing. */
  dryRun: boolean
  /** 1-based line of the comment the command is on. */
  line: number
}

/** Keys one comment may name, all its commands together; more, and nothing is run. */
export const MAX_KEYS_PER_COMMENT = 20

/** Errors listed one by one; the rest are counted in one more line (a reply stays short). */
export const MAX_ERRORS_LISTED = 20

/** What a reply shows after errors: the accepted commands, one a line (plain text; show it as code). */
export const ACCEPTED_SYNTAX = [
  '/deactivate <key-id>… [--force] [--dry-run]',
  '/reactivate <key-id>… [--dry-run]',
  '/delete <key-id>… [--dry-run]'
].join('\n')

/** An IAM user's access key id. */
export const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{16}$/
/** A temporary (STS session) key id: no IAM user has it, nothing here can deactivate it. */
const STS_KEY_ID = /^ASIA[A-Z0-9]{16}$/
/** `AKIA…WXYZ`, `AKIA...WXYZ`: the masked id the summary and the issue show. */
const MASKED = /…|\.\.\./

const OPTIONS = ['--force', '--dry-run'] as const

/** User text in an error: JSON-quoted (one line, control characters escaped), at most 80 characters of it. */
export function quote(text: string): string {
  const chars = Array.from(text)
  return JSON.stringify(chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : text)
}

const accepted = REMEDIATION_VERBS.map((v) => `/${v}`).join(', ')

/** A line the reader sees as the comment's own text, where a command may be. */
interface TextLine {
  /** 1-based. */
  number: number
  /** The line with HTML comments taken out. */
  text: string
  /** It continues a quote's paragraph (no blank line between): GitHub shows it inside the quote. */
  inQuote: boolean
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/
const QUOTE = /^[ \t]*>/
/** A quote line's text after its markers (`> > text` → `text`). */
const QUOTE_MARKERS = /^([ \t]*>[ \t]?)+/
const COMMENT_OPEN = '<!--'
const COMMENT_CLOSE = '-->'

/**
 * The lines of `body` that are neither code, quote nor HTML comment, as Markdown (CommonMark, as
 * GitHub renders a comment) reads them:
 * - a fence of 3 or more backticks or tildes (indented up to 3 spaces) runs to a closing fence of
 *   the same character, at least as long, or to the end of the comment;
 * - a line indented 4 spaces or more, or by a tab, is indented code (or a continuation): never a command;
 * - a line starting with `>` (after spaces) is a quote; a line right after a quote's text, with no
 *   blank line between, is a lazy continuation that GitHub shows inside the quote (`inQuote`);
 * - `<!-- … -->` is hidden, on one line or over several; a line where a comment ends (or an
 *   unclosed one begins) keeps only the text before the comment opened.
 */
function textLines(body: string): TextLine[] {
  const lines = body.split(/\r\n|\r|\n/)
  const out: TextLine[] = []
  let fence: { char: string; length: number } | null = null
  let inComment = false
  let quoteParagraph = false
  lines.forEach((raw, index) => {
    const number = index + 1
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(raw)
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = null
      return
    }
    if (inComment) {
      // The line where the comment ends is part of it (an HTML block runs to the end of that line).
      if (raw.includes(COMMENT_CLOSE)) inComment = false
      return
    }
    if (QUOTE.test(raw)) {
      const inner = raw.replace(QUOTE_MARKERS, '').trim()
      // A quote's paragraph continues lazily on the next line; a blank quote line, fence or heading ends it.
      quoteParagraph = inner !== '' && !/^(`{3,}|~{3,}|#)/.test(inner)
      return
    }
    if (raw.trim() === '') {
      quoteParagraph = false
      return
    }
    const indent = /^[ \t]*/.exec(raw)![0]
    if (indent.includes('\t') || indent.length >= 4) return
    const open = FENCE_OPEN.exec(raw)
    // A backtick fence's info string has no backtick (else it is a code span on one line).
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = { char: open[1][0], length: open[1].length }
      quoteParagraph = false
      return
    }
    let text = raw
    for (let start = text.indexOf(COMMENT_OPEN); start >= 0; start = text.indexOf(COMMENT_OPEN)) {
      const end = text.indexOf(COMMENT_CLOSE, start + COMMENT_OPEN.length)
      if (end < 0) {
        text = text.slice(0, start)
        inComment = true
        break
      }
      text = `${text.slice(0, start)} ${text.slice(end + COMMENT_CLOSE.length)}`
    }
    out.push({ number, text, inQuote: quoteParagraph })
  })
  return out
}

/** A line whose first word starts with `/` and a letter: a command, or a mistaken one. */
const COMMAND_LINE = /^ {0,3}\/[A-Za-z]/

interface LineParse {
  command: RemediationCommand | null
  errors: string[]
  /** Well-formed key ids on the line, valid command or not (for the comment's total). */
  keyIds: string[]
}

function parseLine(text: string, line: number): LineParse {
  const at = `line ${line}: `
  const [verbToken, ...rest] = text.trim().split(/[\s,]+/)
  const verb = REMEDIATION_VERBS.find((v) => `/${v}` === verbToken)
  if (!verb) {
    const lower = REMEDIATION_VERBS.find((v) => `/${v}` === verbToken.toLowerCase())
    const hint = lower ? ` (commands are lower case: /${lower})` : ''
    return { command: null, errors: [`${at}unknown command ${quote(verbToken)}${hint}; accepted: ${accepted}`], keyIds: [] }
  }
  const errors: string[] = []
  const keyIds: string[] = []
  let force = false
  let dryRun = false
  for (const token of rest.filter(Boolean)) {
    if (token === '--force') {
      if (verb === 'deactivate') force = true
      else errors.push(`${at}--force goes only with /deactivate, not /${verb}`)
    } else if (token === '--dry-run') {
      dryRun = true
    } else if (/^[-\u2010-\u2015\u2212]/.test(token)) {
      const dashes = OPTIONS.find((o) => token.replace(/^[-\u2010-\u2015\u2212]+/, '--') === o)
      const hint = dashes ? ` (write it with two hyphens: ${dashes})` : ''
      errors.push(`${at}unknown option ${quote(token)}${hint}; accepted: --force (with /deactivate), --dry-run`)
    } else if (ACCESS_KEY_ID.test(token)) {
      if (!keyIds.includes(token)) keyIds.push(token)
    } else if (STS_KEY_ID.test(token)) {
      errors.push(`${at}${quote(token)} is a temporary key of an STS session, not an IAM user's access key: it cannot be deactivated, it expires`)
    } else if (MASKED.test(token)) {
      errors.push(`${at}${quote(token)} is a masked key id: the command needs the full id (AKIA and 16 more letters and digits), as the issue's command shows it`)
    } else if (ACCESS_KEY_ID.test(token.toUpperCase())) {
      errors.push(`${at}${quote(token)} is not an access key id: key ids are upper case`)
    } else {
      errors.push(`${at}${quote(token)} is not an access key id (AKIA and 16 more letters and digits)`)
    }
  }
  if (keyIds.length === 0 && errors.length === 0) errors.push(`${at}/${verb} names no key id`)
  return { command: errors.length ? null : { verb, keyIds, force, dryRun, line }, errors, keyIds }
}

/**
 * The commands of a comment, and what is wrong with it. One command per line; a key named twice
 * in one command counts once; a key in two commands is an error (which one was meant?); more than
 * MAX_KEYS_PER_COMMENT keys in all is one error. The caller runs nothing when `errors` is not
 * empty (see the top of this file). Errors are plain text, user text quoted (`quote`), at most
 * MAX_ERRORS_LISTED of them and a line that counts the rest.
 */
export function parseCommands(body: string): { commands: RemediationCommand[]; errors: string[] } {
  const parsed: { line: TextLine; result: LineParse }[] = []
  for (const line of textLines(body)) {
    if (!COMMAND_LINE.test(line.text)) continue
    if (line.inQuote) {
      const verb = quote(line.text.trim().split(/\s+/)[0])
      const error = `line ${line.number}: ${verb} follows a quote with no blank line between, so GitHub shows it as part of the quote; put a blank line before the command`
      parsed.push({ line, result: { command: null, errors: [error], keyIds: [] } })
      continue
    }
    parsed.push({ line, result: parseLine(line.text, line.number) })
  }

  // A key in two commands: which one was meant?
  const linesOf = new Map<string, number[]>()
  for (const { line, result } of parsed) {
    for (const id of result.keyIds) linesOf.set(id, [...(linesOf.get(id) ?? []), line.number])
  }
  const ambiguous = new Set([...linesOf].filter(([, lines]) => lines.length > 1).map(([id]) => id))

  const errors = parsed.flatMap((p) => p.result.errors)
  for (const id of ambiguous) {
    errors.push(`${id} is named in more than one command (lines ${linesOf.get(id)!.join(', ')}): name each key in one command only`)
  }
  const commands = parsed
    .map((p) => p.result.command)
    .filter((c): c is RemediationCommand => c !== null && !c.keyIds.some((id) => ambiguous.has(id)))

  if (linesOf.size > MAX_KEYS_PER_COMMENT) {
    errors.unshift(
      `the comment names ${linesOf.size} keys; at most ${MAX_KEYS_PER_COMMENT} per comment, so nothing was run: name at most ${MAX_KEYS_PER_COMMENT} keys in a comment`
    )
  }
  if (errors.length > MAX_ERRORS_LISTED) {
    const more = errors.length - (MAX_ERRORS_LISTED - 1)
    errors.splice(MAX_ERRORS_LISTED - 1, errors.length, `and ${more} more errors`)
  }
  return { commands, errors }
}
