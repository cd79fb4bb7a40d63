import { describe, expect, it } from '@jest/globals'
import { code, logLine, noCommand, noCommands, oneLine, plain, plainWithSnippet, unlinked } from '../../../src/render/escape.js'
import { HOSTILE, activeParts, html, isWorkflowCommand, visibleText, withoutJoiner } from './hostile.js'

const seen = (markdown: string) => withoutJoiner(visibleText(html(markdown))).trim()

describe('plain: text from AWS as inline Markdown', () => {
  it.each(HOSTILE)('renders %j in a paragraph as inert text that reads the same', (text) => {
    const rendered = html(`Account name: ${plain(text)}.`)
    expect(activeParts(rendered)).toEqual([])
    expect(seen(`Account name: ${plain(text)}.`)).toBe(`Account name: ${oneLine(text)}.`.trim())
  })

  it.each(HOSTILE)('keeps %j inside its table cell', (text) => {
    const table = `| A | B | C |\n|---|---|---|\n| 1 | ${plain(text)} | 3 |\n`
    const rendered = html(table)
    expect(activeParts(rendered)).toEqual([])
    const cells = [...rendered.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => withoutJoiner(visibleText(m[1])))
    expect(cells).toEqual(['1', oneLine(text).trim(), '3'])
  })

  it('renders in emphasis and bold as the text, not as more markup', () => {
    const text = '*a* _b_ @c'
    expect(seen(`_Note: ${plain(text)}._`)).toBe(`Note: ${text}.`)
    expect(seen(`**Failed:** ${plain(text)}`)).toBe(`Failed: ${text}`)
  })

  it('leaves ordinary names and ids as they are', () => {
    for (const text of ['old-alice', 'svc.deploy', '123456789012', 'arn:aws:iam::123456789012:user/ci', 'Production (EU)']) {
      expect(plain(text)).toBe(text)
    }
  })

  // IAM paths may hold `:`; GitHub draws `:warning:` as an emoji after Markdown, escapes or not.
  it('breaks emoji shortcodes with a word joiner after their first colon, and leaves ARN heads and permission names whole', () => {
    expect(plain('/:warning:/kate')).toBe('/:\u2060warning:/kate')
    expect(plain('/ops/:+1:/:-1:/')).toBe('/ops/:\u2060+1:/:\u2060-1:/')
    expect(plain('arn:aws:iam::123456789012:user/:rocket:/kate')).toBe('arn:aws:iam::123456789012:user/:\u2060rocket:/kate')
    expect(plain('arn:aws:sns:eu-west-1:123456789012:secops')).toBe('arn:aws:sns:eu-west-1:123456789012:secops')
    expect(plain('iam:ListUsers was denied: grant iam:ListUsers')).toBe('iam:ListUsers was denied: grant iam:ListUsers')
  })

  it('escapes the dollar signs of GitHub math, which marked does not render', () => {
    expect(plain('$x$ $$y$$')).toBe('\\$x\\$ \\$\\$y\\$\\$')
  })

  it('puts nothing but a word joiner between @ or # and what follows', () => {
    expect(plain('@torvalds')).toBe('\\@\u2060torvalds')
    expect(plain('#42')).toBe('\\#\u206042')
  })
})

describe('code', () => {
  it('keeps access key ids in a code span', () => {
    expect(code('AKIAIOSFODNN7EXAMPLE')).toBe('`AKIAIOSFODNN7EXAMPLE`')
    expect(code('AKIA…MPLE')).toBe('`AKIA…MPLE`')
    expect(code('(root key, no id)')).toBe('`(root key, no id)`')
  })

  it.each(['AKIA`x` | <b>y</b>', 'AKIA\n| z', '@torvalds'])('shows %j, which a code span cannot hold, as plain text', (text) => {
    const rendered = html(`| A | B |\n|---|---|\n| ${code(text)} | 2 |\n`)
    expect(activeParts(rendered)).toEqual([])
    expect([...rendered.matchAll(/<td>/g)]).toHaveLength(2)
  })
})

describe('oneLine', () => {
  it('puts line breaks and control characters on one line, the rest as it is', () => {
    expect(oneLine('a\r\nb\nc\u2028d\u0085e\u001b[31mf <b>@x</b>')).toBe('a b c d e [31mf <b>@x</b>')
  })
})

describe('logLine: one log line that is never a workflow command', () => {
  const attacks = [
    'alice\n::error title=x::owned',
    'alice\r::add-mask::secret',
    'alice\r\n::stop-commands::token',
    '::warning::at the start',
    '   ::debug::after spaces',
    '\t::set-output name=x::y',
    'mid ##[error]legacy anywhere',
    '##[add-mask]secret',
    'alice\u2028::error::x',
    'alice\u0085::error::x',
    '\u200b::error::zero width first',
    ':\u200b:error::ignorable between',
    '#\u00ad#[error]soft hyphen'
  ]

  it.each(attacks)('%j', (message) => {
    const line = logLine(`user ${message} AKIA…MPLE`)
    expect(line.split(/\r\n|[\n\r\u0085\u2028\u2029]/)).toHaveLength(1)
    expect(isWorkflowCommand(line)).toBe(false)
    expect(logLine(message).split(/[\n\r]/).some(isWorkflowCommand)).toBe(false)
  })

  it('shows line breaks and escape characters visibly', () => {
    expect(logLine('a\nb\rc\u001b[2Jd')).toBe('a\\nb\\rc\\u001b[2Jd')
  })

  it('leaves ordinary messages alone', () => {
    const message = 'stale: old-alice AKIA…MPLE, 200 days old (arn:aws:iam::123456789012:user/x) #3 ok'
    expect(logLine(message)).toBe(message)
  })
})

describe('noCommand and noCommands', () => {
  it('break a command at the start of each line and a legacy command anywhere', () => {
    expect(noCommand('  ::error::x')).toBe('  \\::error::x')
    expect(noCommand('a ##[group]b')).toBe('a ##\\[group]b')
    expect(noCommands('ok\n::error::x\r\n  ::add-mask::y\rz ##[debug]w')).toBe('ok\n\\::error::x\n  \\::add-mask::y\nz ##\\[debug]w')
  })

  it('can escape the bracket as JSON does, so the value decodes back unchanged', () => {
    const json = JSON.stringify({ userName: 'a ##[add-mask]b' })
    const safe = noCommands(json, '\\u005b')
    expect(safe.includes('##[')).toBe(false)
    expect(JSON.parse(safe)).toEqual({ userName: 'a ##[add-mask]b' })
  })
})

describe('unlinked: no commit reference either', () => {
  it('breaks a hex word of seven or more with a letter every six characters, and leaves account ids whole', () => {
    expect(unlinked('deadbeefcafe1234')).toBe('deadbe\u2060efcafe\u20601234')
    expect(unlinked('a1b2c3d')).toBe('a1b2c3\u2060d')
    expect(unlinked('123456789012')).toBe('123456789012')
    expect(unlinked('abcdef')).toBe('abcdef') // six: too short for GitHub to link
    expect(unlinked('AKIAIOSFODNN7EXAMPLE')).toBe('AKIAIOSFODNN7EXAMPLE')
  })

  it('leaves no hex run of seven that GitHub could take for a SHA, in plain() too', () => {
    for (const text of ['fix in 0123abcd4567', 'user-deadbeef99', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4']) {
      expect(plain(text)).not.toMatch(/(?<![0-9a-f])[0-9a-f]{7,}(?![0-9a-f])/i)
      expect(plain(text).replace(/\u2060/g, '')).toBe(text)
    }
  })
})

describe('noCommands and JSON', () => {
  it('keeps U+2028 inside a JSON string on its line, so --json stays valid JSON', () => {
    const json = JSON.stringify({ note: 'tag owner="a\u2028b"' })
    expect(JSON.parse(noCommands(json, '\\u005b'))).toEqual({ note: 'tag owner="a\u2028b"' })
  })
})

describe('plainWithSnippet: a message that ends with YAML to paste', () => {
  it('gives the snippet a fenced code block of its own, the words before it plain', () => {
    const md = plainWithSnippet('the job lacks the permission id-token: write. Add to the job:\npermissions:\n  id-token: write\n  contents: read')
    expect(md).toBe('the job lacks the permission id-token: write. Add to the job:\n\n```yaml\npermissions:\n  id-token: write\n  contents: read\n```')
    expect(html(md)).toContain('<pre><code class="language-yaml">permissions:\n  id-token: write\n  contents: read\n</code></pre>')
  })

  it('is plain() for any other text: hostile lines never reach a code block', () => {
    for (const h of HOSTILE) expect(plainWithSnippet(h)).toBe(plain(h))
    expect(plainWithSnippet('one line: only')).toBe(plain('one line: only'))
    // A line that is not a bare key or word (a mention, a link, markup) ends the snippet before it.
    expect(plainWithSnippet('x:\nkey: @torvalds')).toBe(plain('x:\nkey: @torvalds'))
    expect(plainWithSnippet('x:\nkey: `a`')).toBe(plain('x:\nkey: `a`'))
  })

  it('escapes the words before the snippet like any text from AWS', () => {
    const md = plainWithSnippet('<img src=x> @torvalds\nsee #42:\npermissions:\n  contents: read')
    const [words] = md.split('\n\n')
    expect(words).toBe(plain('<img src=x> @torvalds see #42:'))
    expect(activeParts(html(words))).toEqual([])
  })
})
