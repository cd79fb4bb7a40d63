// Text from AWS (user, account and tag values, error messages, notes that quote them) is data.
// These functions make it inert wherever it goes: Markdown that GitHub renders (job summary,
// issue body and comments), plain text (SNS e-mail and SMS), and the workflow log.

/** WORD JOINER: invisible, and it ends the word GitHub looks for after `@`, `#` or `://`. */
const JOINER = '\u2060'

// Line breaks, other control characters, and the Unicode line and paragraph separators.
const BREAKS = /[\p{Cc}\u2028\u2029]+/gu

/**
 * One line of plain text: line breaks and control characters become one space. For text that
 * no one renders (the SNS e-mail and SMS), where a line break would forge a line of the message.
 */
export function oneLine(text: string): string {
  return text.replace(BREAKS, ' ')
}

const WORD_CHAR = /[\p{L}\p{N}]/u

/** `_` between letters or digits (`svc_deploy`) never starts or ends emphasis: left as it is, it reads better in the source. */
const inWord = (s: string, i: number) => WORD_CHAR.test(s[i - 1] ?? '') && WORD_CHAR.test(s[i + 1] ?? '')

/**
 * Text that GitHub or a mail client would turn into a link or a notification, made inert with
 * an invisible word joiner: after `@` and `#` (mentions, issue references), in `://` and after
 * `www` (URLs), in `GH-1`, and every six characters of a hex word of seven or more with a letter
 * in it (a commit SHA: GitHub links 7 to 40 hex characters). All-digit words (account ids) are
 * left whole: readers copy them. The reader sees the same characters.
 */
export function unlinked(text: string): string {
  return text
    .replace(/[@#]/g, `$&${JOINER}`)
    .replace(/:\/\//g, `:/${JOINER}/`)
    .replace(/(www)\./gi, `$1${JOINER}.`)
    .replace(/(gh-)(\d)/gi, `$1${JOINER}$2`)
    .replace(/\b(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, (hex) => hex.match(/.{1,6}/g)!.join(JOINER))
}

/**
 * Text from AWS as inline GitHub Markdown that renders as exactly that text, in a paragraph,
 * heading or table cell:
 * - on one line, so it cannot end a table row or start a block;
 * - the Markdown punctuation backslash-escaped: no HTML, comment or entity (`<`, `>`, `&`), no
 *   emphasis, strikethrough, code span, link, image, math or table cell break (`*`, `_`, `~`,
 *   backtick, `[`, `]`, `$`, `|`, `\`);
 * - no mention, reference or autolink (`unlinked`), and no emoji shortcode (`noShortcodes`):
 *   GitHub makes those in the rendered text, after Markdown, so escapes do not stop them; the
 *   joiner does.
 */
export function plain(text: string): string {
  return noShortcodes(
    unlinked(oneLine(text).replace(/[\\`*_~[\]$|<>&@#]/g, (c, i: number, s: string) => (c === '_' && inWord(s, i) ? c : `\\${c}`)))
      // Block syntax at the start of a line, should the text ever begin one: list, heading underline.
      .replace(/^(\s*)([-+=])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  )
}

// An ARN's fixed head (`arn:aws:iam::123456789012:`): its parts are AWS's, never an emoji name,
// and an ARN stays whole so that it can be copied.
const ARN_HEAD = /\barn:[a-z0-9-]*:[a-z0-9-]*:[a-z0-9-]*:\d*:/g

/**
 * No emoji shortcode (`:warning:`, `:+1:`): an IAM path may hold `:` (`/:warning:/kate`), and
 * GitHub draws the emoji after Markdown, so no escape stops it; a joiner after the first `:` of
 * each `:name:` does. ARN heads are left whole.
 */
function noShortcodes(text: string): string {
  const join = (s: string) => s.replace(/:(?=[\p{L}\p{N}_+\\-]+:)/gu, `:${JOINER}`)
  let out = ''
  let last = 0
  for (const head of text.matchAll(ARN_HEAD)) {
    out += join(text.slice(last, head.index)) + head[0]
    last = head.index + head[0].length
  }
  return out + join(text.slice(last))
}

/** A line of a YAML snippet the action suggests (`permissions:`, `  id-token: write`): keys and words, nothing that could be markup. */
const SNIPPET_LINE = /^ *[a-z][a-z-]*:(?: [a-z][a-z-]*)?$/

/**
 * A message that ends with a YAML snippet to paste (the OIDC error's `permissions:` block) as
 * Markdown: the words before it plain text, the snippet a fenced code block, line for line, so
 * it can be copied as it is. Only lines of lowercase keys and words go into the block, so
 * nothing from AWS ever stands there unescaped; any other message is plain(), on one line.
 */
export function plainWithSnippet(text: string): string {
  const lines = text.split(/\r\n|[\n\r]/)
  let start = lines.length
  while (start > 1 && SNIPPET_LINE.test(lines[start - 1])) start--
  if (start === lines.length) return plain(text)
  return `${plain(lines.slice(0, start).join(' '))}\n\n\`\`\`yaml\n${lines.slice(start).join('\n')}\n\`\`\``
}

/**
 * A short machine value (an access key id) in a code span, which keeps it easy to copy; a value
 * a code span cannot hold as it is (a backtick or pipe, a line break) is shown as plain text.
 */
export function code(text: string): string {
  return /^[\w …(),.-]+$/u.test(text) ? `\`${text}\`` : plain(text)
}

/** Characters the log shows escaped: C0/C1 controls but the tab, format characters, U+2028/9. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const LOG_ESCAPED = /[\0-\x08\x0a-\x1f\x7f-\x9f\p{Cf}\u2028\u2029]/gu
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

// Characters a culture-aware comparison may skip: the runner's .NET parser must not see `::`
// or `##[` through them.
const IGNORABLE = '[\\p{Cc}\\p{Cf}\\p{M}]*'
const COMMAND_START = new RegExp(`^([\\s\\p{Cc}\\p{Cf}\\p{M}]*)(:${IGNORABLE}:)`, 'u')
const LEGACY_COMMAND = new RegExp(`(#${IGNORABLE}#${IGNORABLE})\\[`, 'gu')

/**
 * One line of the log as the runner reads it, made unable to run a workflow command. The runner
 * obeys a line that starts with `::` after white space (`::add-mask::`, `::error::`, and
 * `::stop-commands::`, which turns every later command off) and a line that contains `##[`
 * anywhere (the legacy form). Such a line gets a backslash before the `::` or the `[`: it reads
 * the same, and it is no command. `bracket` replaces the `[` where a backslash is not allowed
 * (JSON: `\u005b`, which decodes back to `[`).
 */
export function noCommand(line: string, bracket = '\\['): string {
  return line.replace(COMMAND_START, '$1\\$2').replace(LEGACY_COMMAND, `$1${bracket}`)
}

/**
 * A log message from text that may quote AWS: one line whatever it holds (line breaks and other
 * control characters shown as `\n`, `\r`, `\u001b`), and never a workflow command. For
 * `core.info` (which writes the line as it is) and every other line the log gets.
 */
export function logLine(message: string): string {
  const escaped = message.replace(
    LOG_ESCAPED,
    (c) => NAMED[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`
  )
  return noCommand(escaped)
}

/**
 * Line breaks as the runner splits a stream into lines (.NET ReadLine: \n, \r, \r\n). Not the
 * Unicode separators: JSON.stringify leaves U+2028 raw inside a string, and splitting there
 * would break the CLI's --json output without stopping any command.
 */
const LINE_BREAK = /\r\n|[\n\r]/

/**
 * Text of several lines for a log (the CLI's table on standard output): each line made unable
 * to run a workflow command; the lines stay lines.
 */
export function noCommands(text: string, bracket?: string): string {
  return text
    .split(LINE_BREAK)
    .map((line) => noCommand(line, bracket))
    .join('\n')
}
