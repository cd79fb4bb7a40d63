// Hostile strings as AWS may hand them over (an account name allows any printable ASCII, a tag
// value most of Unicode, a compromised endpoint anything), and what their rendering must not do.
import { marked } from 'marked'

export const HOSTILE = [
  '<img src=x onerror=alert(1)> **PWN** @torvalds #42',
  '@torvalds',
  '@acme/secops',
  '[x](https://evil)',
  '![i](https://evil/i.png)',
  'https://evil.example',
  'see http://evil.example/x?a=1',
  'www.evil.com',
  'fix 0123abcd4567 deadbeefcafe',
  '_www.evil.com_',
  'a|b',
  '`code`',
  '``two``',
  '_em_',
  '*em*',
  '~~s~~',
  '<script>alert(1)</script>',
  '&lt;img&gt;',
  '&amp; &#64;torvalds',
  '\\|',
  'x\\',
  'GH-1',
  'acme/infra#3',
  'user@example.com',
  'mailto:user@example.com',
  'line one\nline two\r\n| a | b |',
  '\n# heading\n- item',
  ':::',
  '<!-- -->',
  '](javascript:alert(1))',
  '[link]: https://evil.example',
  '$x^2$ and $$y$$',
  '1. list',
  '- item',
  '> quote',
  '<https://evil.example>',
  '\u2028@torvalds\u2029#7'
]

export function html(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false }) as string
}

/** The text a reader sees in rendered HTML: tags gone, entities decoded. */
export function visibleText(rendered: string): string {
  return rendered
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** The word joiner plain() puts in: invisible, so a reader sees the text without it. */
export const withoutJoiner = (text: string) => text.replace(/\u2060/g, '')

/** Why `rendered` (HTML from the Markdown under test) is active, or [] when it is plain text. */
export function activeParts(rendered: string): string[] {
  // GitHub links nothing inside a code span (the key-id cell): only the text outside is looked at.
  const text = visibleText(rendered.replace(/<code>[\s\S]*?<\/code>/g, ' '))
  const found: string[] = []
  const tags: [RegExp, string][] = [
    [/<img/i, '<img>'],
    [/<a[\s>]/i, '<a>'],
    [/<strong>/i, '<strong>'],
    [/<em>/i, '<em>'],
    [/<del>/i, '<del>'],
    [/<script/i, '<script>'],
    [/<code>/i, '<code>'],
    [/<h\d/i, 'heading'],
    [/<li>/i, 'list'],
    [/<blockquote>/i, 'quote'],
    [/<br/i, '<br>'],
    [/<!--/, 'comment']
  ]
  for (const [re, name] of tags) if (re.test(rendered)) found.push(name)
  // GitHub links these in the rendered text, after Markdown.
  const patterns: [RegExp, string][] = [
    [/(^|[^\w`])@[A-Za-z0-9-]+/, 'mention'],
    [/(^|[^\w])#\d+/, 'issue reference'],
    [/\bGH-\d+/i, 'GH- reference'],
    [/[\w.-]+\/[\w.-]+#\d+/, 'owner/repo#n'],
    [/[a-z][a-z0-9+.-]*:\/\//i, 'URL'],
    [/www\./i, 'www. autolink'],
    [/(?<![0-9a-f])(?=[0-9]*[a-f])[0-9a-f]{7,40}(?![0-9a-f])/i, 'commit SHA'],
    [/[\w.+-]+@[\w-]+\.[\w.-]+/, 'e-mail autolink']
  ]
  for (const [re, name] of patterns) if (re.test(text)) found.push(name)
  return found
}

/** A line the runner would take for a workflow command (ActionCommand.TryParseV2 / TryParse). */
export function isWorkflowCommand(line: string): boolean {
  return /^\s*::/.test(line) || line.includes('##[')
}
