// The README's Inputs and Outputs tables are what users read instead of action.yml: they must
// list exactly the inputs of the inputs table (src/action/input-spec.ts, which action.yml declares
// too) and action.yml's outputs, and show each input's action.yml default.
// README cells: `name` in code; the default in code (`90`, `${{ github.token }}`), or `empty` /
// `empty (off)` for an empty default.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { INPUT_NAMES, INPUTS, type InputName, type InputSpec } from '../../src/action/input-spec.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

interface ActionYml {
  outputs: Record<string, unknown>
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml

/** A row's cells, split on pipes that are not escaped (`\|` stays inside its cell). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim())
}

/** The body rows of the first table under the `## heading` line (header and separator dropped). */
function tableUnder(heading: string): string[][] {
  const lines = README.split(/\r?\n/)
  const start = lines.indexOf(heading)
  if (start < 0) throw new Error(`README.md has no "${heading}" line`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) rows.push(cells(line))
    else if (rows.length > 0 || /^#{1,2} /.test(line)) break
  }
  if (rows.length < 2 || !rows[1].every((c) => /^:?-+:?$/.test(c))) {
    throw new Error(`README.md has no table under "${heading}"`)
  }
  return rows.slice(2)
}

/** `name` -> name; anything else is a malformed row, kept visible in the comparison. */
function nameOf(cell: string): string {
  return /^`([^`]+)`$/.exec(cell)?.[1] ?? `(not a \`name\` cell: ${cell})`
}

/** The default as action.yml would write it; null: a cell this test does not understand. */
function readmeDefault(cell: string): string | null {
  if (cell === 'empty' || cell === 'empty (off)') return ''
  return /^`([^`]+)`$/.exec(cell)?.[1] ?? null
}

/** The default action.yml declares, from the inputs table. */
function actionDefault(name: InputName): string {
  const spec: InputSpec<unknown> = INPUTS[name]
  return spec.actionYmlDefault ?? spec.default
}

const isInput = (name: string): name is InputName => name in INPUTS

/** What is in one list and not the other, and what is listed twice. */
function difference(readme: string[], declared: string[]) {
  return {
    missingFromReadme: declared.filter((n) => !readme.includes(n)).sort(),
    notDeclared: readme.filter((n) => !declared.includes(n)).sort(),
    listedTwice: readme.filter((n, i) => readme.indexOf(n) !== i).sort()
  }
}

const NONE = { missingFromReadme: [], notDeclared: [], listedTwice: [] }

describe('README.md ## Inputs', () => {
  const rows = tableUnder('## Inputs')

  it('lists exactly the inputs of the inputs table', () => {
    expect(rows.length).toBeGreaterThan(0)
    expect(difference(rows.map((r) => nameOf(r[0])), INPUT_NAMES)).toEqual(NONE)
  })

  it("shows each input's action.yml default", () => {
    const mismatches = rows.flatMap((r) => {
      const name = nameOf(r[0])
      if (!isInput(name)) return []
      const shown = readmeDefault(r[1] ?? '')
      const declared = actionDefault(name)
      if (shown === declared) return []
      const expected = declared === '' ? '`empty` or `empty (off)`' : `\`${declared}\``
      return [`${name}: README shows ${r[1] ?? '(no cell)'}, the table's (and action.yml's) default is ${JSON.stringify(declared)} (write ${expected})`]
    })
    expect(mismatches).toEqual([])
  })
})

describe('README.md ## Outputs', () => {
  const rows = tableUnder('## Outputs')

  it('lists exactly the outputs of action.yml', () => {
    expect(rows.length).toBeGreaterThan(0)
    expect(difference(rows.map((r) => nameOf(r[0])), Object.keys(action.outputs))).toEqual(NONE)
  })
})

// The README was split into README.md and docs/*.md: every relative link between them must land on
// a file that exists and, with a #fragment, on a heading of that file (GitHub's anchor slugs).
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a Markdown file: its headings outside code fences, repeats numbered as GitHub does. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  let fence: string | null = null
  for (const line of text.split(/\r?\n/)) {
    const f = /^(`{3,}|~{3,})/.exec(line)?.[1]
    if (f && (fence === null || f.startsWith(fence))) {
      fence = fence === null ? f : null
      continue
    }
    if (fence !== null) continue
    const h = /^#{1,6} (.+?)\s*#*$/.exec(line)
    if (!h) continue
    const base = slug(h[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}

/** Relative links `[text](target)` and reference definitions `[id]: target`, outside code fences. */
function linksOf(text: string): string[] {
  const prose = text.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '')
  const inline = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1])
  const refs = [...prose.matchAll(/^\[[^\]]+\]:\s+(\S+)/gm)].map((m) => m[1])
  return [...inline, ...refs].filter((t) => !/^[a-z]+:/i.test(t))
}

describe('README.md and docs/*.md links', () => {
  it.each(DOCS)('%s: every relative link and anchor resolves', (file) => {
    const broken = linksOf(readFileSync(join(ROOT, file), 'utf8')).flatMap((target) => {
      const [path, fragment] = target.split('#')
      const resolved = path === '' ? file : normalize(join(dirname(file), path))
      if (!existsSync(join(ROOT, resolved))) return [`${target}: no file ${resolved}`]
      if (fragment === undefined || !resolved.endsWith('.md')) return []
      return anchorsOf(readFileSync(join(ROOT, resolved), 'utf8')).has(fragment) ? [] : [`${target}: no heading #${fragment} in ${resolved}`]
    })
    expect(broken).toEqual([])
  })

  it('the anchor check itself finds a heading and misses a made-up one', () => {
    const anchors = anchorsOf('# A `b` c\n```\n# not a heading\n```\n## 2. A pull-request gate\n## A `b` c\n')
    expect([...anchors]).toEqual(['a-b-c', '2-a-pull-request-gate', 'a-b-c-1'])
  })
})

describe('README.md workflows', () => {
  const steps = [...README.matchAll(/```ya?ml\n([\s\S]*?)```/g)].flatMap((m) =>
    [...m[1].matchAll(/^(\s*)- uses: (\S+)\n((?:\1 {2}.*\n?)*)/gm)].map((s) => ({ uses: s[2], body: s[3] }))
  )
  const ours = steps.filter((s) => s.uses.includes('iam-key-sentry'))

  it('use the action as OWNER/iam-key-sentry (a placeholder owner), with inputs action.yml declares', () => {
    expect(ours.length).toBeGreaterThanOrEqual(4)
    for (const s of ours) {
      expect(s.uses).toMatch(/^OWNER\/iam-key-sentry@/)
      const withBlock = parse(s.body) as { with?: Record<string, unknown> } | null
      const unknown = Object.keys(withBlock?.with ?? {}).filter((k) => !isInput(k))
      expect({ uses: s.uses, unknown }).toEqual({ uses: s.uses, unknown: [] })
    }
  })

  it('never tell people to npx a package name that is not published', () => {
    expect(DOCS.filter((f) => /npx iam-key-sentry/.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([])
  })
})
