import { describe, expect, it } from '@jest/globals'
import {
  ACCEPTED_SYNTAX,
  MAX_ERRORS_LISTED,
  MAX_KEYS_PER_COMMENT,
  REMEDIATION_VERBS,
  parseCommands,
  quote,
  type RemediationCommand
} from '../../../src/core/remediation-commands.js'
import { keyId } from '../helpers.js'
import { html } from '../render/hostile.js'

const K1 = 'AKIAIOSFODNN7EXAMPLE'
const K2 = 'AKIAI44QH8DHBEXAMPLE'
const K3 = 'AKIAJ7Q3EXAMPLE4WXYZ'

const cmd = (over: Partial<RemediationCommand> & Pick<RemediationCommand, 'verb' | 'keyIds'>): RemediationCommand => ({
  force: false,
  dryRun: false,
  line: 1,
  ...over
})

/** Commands of a comment that must have no errors. */
function commands(body: string): RemediationCommand[] {
  const parsed = parseCommands(body)
  expect(parsed.errors).toEqual([])
  return parsed.commands
}

/**
 * The lines that Markdown (marked, GFM) shows as the comment's own text and that start with a
 * `/`: what a reader takes for a command. Code blocks, quotes, list items and comments left out.
 */
function renderedCommandLines(body: string): string[] {
  const rendered = html(body)
    .replace(/<pre>[\s\S]*?<\/pre>/g, '')
    .replace(/<blockquote>[\s\S]*?<\/blockquote>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
  const paragraphs = [...rendered.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1])
  return paragraphs.flatMap((p) => p.split('\n').map((line) => line.trim())).filter((line) => line.startsWith('/'))
}

describe('parseCommands: commands', () => {
  it('reads each verb with its keys, in the order named', () => {
    expect(commands(`/deactivate ${K1} ${K2}`)).toEqual([cmd({ verb: 'deactivate', keyIds: [K1, K2] })])
    expect(commands(`/reactivate ${K1}`)).toEqual([cmd({ verb: 'reactivate', keyIds: [K1] })])
    expect(commands(`/delete ${K2}`)).toEqual([cmd({ verb: 'delete', keyIds: [K2] })])
  })

  it('reads one command per line, with its line number, among other text', () => {
    const body = `Stale for a year, owner agreed.\n\n/deactivate ${K1}\n/delete ${K2} --dry-run\nThanks!`
    expect(commands(body)).toEqual([
      cmd({ verb: 'deactivate', keyIds: [K1], line: 3 }),
      cmd({ verb: 'delete', keyIds: [K2], dryRun: true, line: 4 })
    ])
  })

  it('reads --force and --dry-run anywhere after the verb', () => {
    expect(commands(`/deactivate --force ${K1} --dry-run ${K2}`)).toEqual([
      cmd({ verb: 'deactivate', keyIds: [K1, K2], force: true, dryRun: true })
    ])
    expect(commands(`/reactivate --dry-run ${K1}`)).toEqual([cmd({ verb: 'reactivate', keyIds: [K1], dryRun: true })])
  })

  it('takes a key named twice in one command once', () => {
    expect(commands(`/deactivate ${K1} ${K1} ${K2} ${K1}`)).toEqual([cmd({ verb: 'deactivate', keyIds: [K1, K2] })])
  })

  it('tolerates CRLF and CR line ends, up to 3 leading spaces, trailing spaces, and commas between keys', () => {
    expect(commands(`hi\r\n   /deactivate ${K1}, ${K2}  \r\n\r/delete ${K3}\r\n`)).toEqual([
      cmd({ verb: 'deactivate', keyIds: [K1, K2], line: 2 }),
      cmd({ verb: 'delete', keyIds: [K3], line: 4 })
    ])
  })

  it('finds nothing in a comment without commands, and leaves lines that only look like paths alone', () => {
    expect(parseCommands('')).toEqual({ commands: [], errors: [] })
    expect(parseCommands('LGTM\n\nsee /etc but not //x or / deactivate or /1')).toEqual({ commands: [], errors: [] })
    expect(parseCommands(`please run /deactivate ${K1}`)).toEqual({ commands: [], errors: [] })
  })

  it('ignores a command with an escaped slash (GitHub shows it, but it was written not to run)', () => {
    expect(parseCommands(`\\/deactivate ${K1}`)).toEqual({ commands: [], errors: [] })
  })
})

describe('parseCommands: what is not a command', () => {
  it.each([
    ['a fenced code block (backticks)', `\`\`\`\n/deactivate ${K1}\n\`\`\``],
    ['a fenced code block (tildes, info string)', `~~~sh\n/deactivate ${K1}\n~~~`],
    ['a fence of 4 closed only by 4 or more', `\`\`\`\`\n/deactivate ${K1}\n\`\`\`\n/delete ${K2}\n\`\`\`\`\``],
    ['a backtick fence not closed by tildes', `\`\`\`\n~~~\n/deactivate ${K1}\n\`\`\``],
    ['a fence indented 3 spaces', `   \`\`\`\n/deactivate ${K1}\n   \`\`\``],
    ['an unclosed fence, to the end', `\`\`\`\n/deactivate ${K1}`],
    ['indented code (4 spaces)', `text\n\n    /deactivate ${K1}`],
    ['indented code (a tab)', `\t/deactivate ${K1}`],
    ['indented code (spaces and a tab)', `  \t/deactivate ${K1}`],
    ['a quote', `> /deactivate ${K1}`],
    ['a quote after spaces', `  > /deactivate ${K1}`],
    ['a nested quote', `> > /deactivate ${K1}`],
    ['a nested quote with spaces', `>  >   /deactivate ${K1}`],
    ['a quote without a space', `>/deactivate ${K1}`],
    ['an HTML comment on one line', `<!-- /deactivate ${K1} -->`],
    ['an HTML comment over lines', `<!--\n/deactivate ${K1}\n-->`],
    ['an HTML comment opened mid-line', `note <!-- hidden\n/deactivate ${K1}\nstill hidden -->`],
    ['the line where a comment closes', `<!--\n--> /deactivate ${K1}`],
    ['an unclosed HTML comment, to the end', `<!--\n/deactivate ${K1}`],
    ['a code span', `\`/deactivate ${K1}\``],
    ['a list item', `- /deactivate ${K1}`]
  ])('%s', (_what, body) => {
    expect(parseCommands(body)).toEqual({ commands: [], errors: [] })
    // And GitHub's Markdown shows no line of text there that starts with the command.
    expect(renderedCommandLines(body)).toEqual([])
  })

  it('agrees with Markdown on the lines it takes for commands', () => {
    const body = `x\n/deactivate ${K1}\n\n\`\`\`\n/delete ${K2}\n\`\`\`\n   /reactivate ${K3}\n> /delete ${K1}\n\n<!-- /delete ${K3} -->`
    expect(renderedCommandLines(body)).toEqual([`/deactivate ${K1}`, `/reactivate ${K3}`])
    expect(commands(body).map((c) => c.line)).toEqual([2, 7])
  })

  it('reads commands after a fence closes, and a fence opener with a backtick in its info string is no fence', () => {
    expect(commands(`\`\`\`\n/deactivate ${K1}\n\`\`\`\n/delete ${K2}`)).toEqual([cmd({ verb: 'delete', keyIds: [K2], line: 4 })])
    expect(commands(`~~~~\n~~~\n/deactivate ${K1}\n~~~~~ \n/delete ${K2}`)).toEqual([cmd({ verb: 'delete', keyIds: [K2], line: 5 })])
    expect(commands(`\`\`\` x\`y\n/delete ${K2}`)).toEqual([cmd({ verb: 'delete', keyIds: [K2], line: 2 })])
  })

  it('reads a command after a quote and a blank line, and after an HTML comment closes', () => {
    expect(commands(`> /deactivate ${K1}\n\n/deactivate ${K2}`)).toEqual([cmd({ verb: 'deactivate', keyIds: [K2], line: 3 })])
    expect(commands(`> quoted\n>\n/delete ${K2}`)).toEqual([cmd({ verb: 'delete', keyIds: [K2], line: 3 })])
    expect(commands(`<!--\nx\n-->\n/delete ${K2}`)).toEqual([cmd({ verb: 'delete', keyIds: [K2], line: 4 })])
  })

  it('leaves the keys inside an HTML comment out of a command: only what the reader sees counts', () => {
    expect(commands(`/deactivate ${K1} <!-- ${K2} --> ${K3}`)).toEqual([cmd({ verb: 'deactivate', keyIds: [K1, K3] })])
    expect(commands(`/deactivate ${K1} <!-- ${K2}\n/delete ${K3}\n-->`)).toEqual([cmd({ verb: 'deactivate', keyIds: [K1] })])
    expect(parseCommands(`/deactivate <!-- ${K2} -->`).errors).toEqual(['line 1: /deactivate names no key id'])
  })

  it('refuses a command right after a quote line: GitHub shows it inside the quote', () => {
    const parsed = parseCommands(`> /deactivate ${K1}\n/deactivate ${K1}`)
    expect(html(`> /deactivate ${K1}\n/deactivate ${K1}`)).toMatch(/^<blockquote>\n<p>\/deactivate \S+\n\/deactivate \S+<\/p>\n<\/blockquote>/)
    expect(parsed.commands).toEqual([])
    expect(parsed.errors).toEqual([
      'line 2: "/deactivate" follows a quote with no blank line between, so GitHub shows it as part of the quote; put a blank line before the command'
    ])
    // The quote's paragraph goes on over lines of text, up to a blank line.
    expect(parseCommands(`> said\nmore\n/delete ${K1}`).errors).toHaveLength(1)
    // A quote that ends in a code fence or a heading has no paragraph to continue.
    expect(commands(`> \`\`\`\n/delete ${K1}`)).toHaveLength(1)
    expect(commands(`> # heading\n/delete ${K1}`)).toHaveLength(1)
  })
})

describe('parseCommands: errors', () => {
  const errorsOf = (body: string) => parseCommands(body).errors

  it('names an unknown command and lists the accepted ones', () => {
    expect(errorsOf(`/purge ${K1}`)).toEqual(['line 1: unknown command "/purge"; accepted: /deactivate, /reactivate, /delete'])
    expect(errorsOf('/etc/passwd')).toEqual(['line 1: unknown command "/etc/passwd"; accepted: /deactivate, /reactivate, /delete'])
  })

  it('takes verbs in lower case only, and says so', () => {
    expect(errorsOf(`/Deactivate ${K1}`)).toEqual([
      'line 1: unknown command "/Deactivate" (commands are lower case: /deactivate); accepted: /deactivate, /reactivate, /delete'
    ])
  })

  it('refuses a temporary STS key id: it is no IAM user key', () => {
    expect(errorsOf('/deactivate ASIAIOSFODNN7EXAMPLE')).toEqual([
      `line 1: "ASIAIOSFODNN7EXAMPLE" is a temporary key of an STS session, not an IAM user's access key: it cannot be deactivated, it expires`
    ])
  })

  it('asks for the full id when given a masked one', () => {
    for (const masked of ['AKIA…MPLE', 'AKIA...MPLE']) {
      expect(errorsOf(`/deactivate ${masked}`)).toEqual([
        `line 1: ${JSON.stringify(masked)} is a masked key id: the command needs the full id (AKIA and 16 more letters and digits), as the issue's command shows it`
      ])
    }
  })

  it.each([
    ['too short', 'AKIAIOSFODNN7EXAMPL'],
    ['too long', 'AKIAIOSFODNN7EXAMPLEX'],
    ['another prefix', 'AIDAIOSFODNN7EXAMPLE'],
    ['a user name', 'alice'],
    ['the root user', 'root'],
    ['an account id', '123456789012'],
    ['a secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['a zero-width space inside', 'AKIAIOSFODNN\u200b7EXAMPLE'],
    ['a key in backticks', `\`${K1}\``]
  ])('refuses %s: not an access key id', (_what, token) => {
    const errors = errorsOf(`/deactivate ${token}`)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^line 1: ".*" is not an access key id \(AKIA and 16 more letters and digits\)$/)
  })

  it('says a lower-case key id must be upper case (and does not fix it)', () => {
    expect(errorsOf(`/deactivate ${K1.toLowerCase()}`)).toEqual([`line 1: "${K1.toLowerCase()}" is not an access key id: key ids are upper case`])
  })

  it('refuses --force but with /deactivate', () => {
    expect(errorsOf(`/delete ${K1} --force`)).toEqual(['line 1: --force goes only with /deactivate, not /delete'])
    expect(errorsOf(`/reactivate --force ${K1}`)).toEqual(['line 1: --force goes only with /deactivate, not /reactivate'])
  })

  it('refuses an unknown option, and says when only the dashes are wrong', () => {
    expect(errorsOf(`/deactivate ${K1} --yes`)).toEqual(['line 1: unknown option "--yes"; accepted: --force (with /deactivate), --dry-run'])
    expect(errorsOf(`/deactivate ${K1} --Force`)).toHaveLength(1)
    expect(errorsOf(`/deactivate ${K1} \u2014force`)).toEqual([
      'line 1: unknown option "\u2014force" (write it with two hyphens: --force); accepted: --force (with /deactivate), --dry-run'
    ])
    expect(errorsOf(`/deactivate ${K1} -dry-run`)[0]).toContain('(write it with two hyphens: --dry-run)')
  })

  it('refuses a command that names no key', () => {
    expect(errorsOf('/deactivate')).toEqual(['line 1: /deactivate names no key id'])
    expect(errorsOf('/delete --dry-run')).toEqual(['line 1: /delete names no key id'])
  })

  it('refuses a key named in two commands (which one was meant?) and keeps the other commands', () => {
    const parsed = parseCommands(`/deactivate ${K1}\n/reactivate ${K2}\n/delete ${K3} ${K1}`)
    expect(parsed.errors).toEqual([`${K1} is named in more than one command (lines 1, 3): name each key in one command only`])
    expect(parsed.commands).toEqual([cmd({ verb: 'reactivate', keyIds: [K2], line: 2 })])
    // Even with the same verb.
    expect(parseCommands(`/deactivate ${K1}\n/deactivate ${K1} --dry-run`).errors).toHaveLength(1)
  })

  it('lists the valid commands beside the errors, in line order (the caller runs none of them)', () => {
    const parsed = parseCommands(`/deactivate ${K1}\n/delete AKIA…WXYZ\n/reactivate ${K2} --dry-run\n/frob`)
    expect(parsed.commands).toEqual([
      cmd({ verb: 'deactivate', keyIds: [K1], line: 1 }),
      cmd({ verb: 'reactivate', keyIds: [K2], dryRun: true, line: 3 })
    ])
    expect(parsed.errors.map((e) => e.slice(0, 7))).toEqual(['line 2:', 'line 4:'])
  })

  it('reports every error of a line, not just the first', () => {
    expect(errorsOf(`/delete ${K1} --force bogus ASIAIOSFODNN7EXAMPLE`)).toHaveLength(3)
  })

  it('accepts MAX_KEYS_PER_COMMENT keys, and refuses one more with a single error that says nothing runs', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => keyId(i))
    expect(commands(`/deactivate ${keys(MAX_KEYS_PER_COMMENT).join(' ')}`)[0].keyIds).toHaveLength(MAX_KEYS_PER_COMMENT)
    // Over several commands, counted together.
    const split = keys(MAX_KEYS_PER_COMMENT + 1)
    const errors = errorsOf(`/deactivate ${split.slice(0, 10).join(' ')}\n/delete ${split.slice(10).join(' ')}`)
    expect(errors).toEqual([`the comment names 21 keys; at most 20 per comment, so nothing was run: name at most 20 keys in a comment`])
  })

  it('keeps 500 key ids to one error, and 500 bad tokens to a bounded list', () => {
    const many = Array.from({ length: 500 }, (_, i) => keyId(i))
    expect(errorsOf(`/deactivate ${many.join(' ')}`)).toEqual([
      'the comment names 500 keys; at most 20 per comment, so nothing was run: name at most 20 keys in a comment'
    ])
    const bad = errorsOf(`/deactivate ${many.map((k) => k.toLowerCase()).join(' ')}`)
    expect(bad).toHaveLength(MAX_ERRORS_LISTED)
    expect(bad[MAX_ERRORS_LISTED - 1]).toBe(`and ${500 - (MAX_ERRORS_LISTED - 1)} more errors`)
  })

  it('quotes user text as one JSON string of at most 80 characters', () => {
    const long = `/${'x'.repeat(500)}`
    const [error] = errorsOf(long)
    expect(error).toContain(quote(long))
    expect(JSON.parse(quote(long))).toHaveLength(80)
    expect(quote('a\nb"c')).toBe('"a\\nb\\"c"')
    const [control] = errorsOf(`/deactivate \u001b[31mred`)
    expect(control).toContain('"\\u001b[31mred"')
    // Astral characters are not cut in half.
    expect(JSON.parse(quote('😀'.repeat(100)))).toBe(`${'😀'.repeat(79)}…`)
  })

  it('writes errors as plain text: no Markdown of its own', () => {
    const errors = errorsOf(`/deactivate AKIA…WXYZ ASIAIOSFODNN7EXAMPLE bob\n/purge\n/delete ${K1} --force\n/delete\n/x ${K1}`)
    for (const e of errors) expect(e).not.toMatch(/[`*_[\]<>]/)
  })
})

describe('ACCEPTED_SYNTAX', () => {
  it('shows each verb once, with its options', () => {
    expect(ACCEPTED_SYNTAX.split('\n')).toEqual([
      '/deactivate <key-id>… [--force] [--dry-run]',
      '/reactivate <key-id>… [--dry-run]',
      '/delete <key-id>… [--dry-run]'
    ])
    expect(REMEDIATION_VERBS.every((v) => ACCEPTED_SYNTAX.includes(`/${v} `))).toBe(true)
  })
})
