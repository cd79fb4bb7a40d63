// The README's Inputs and Outputs tables are what users read instead of action.yml: they must
// list exactly the inputs of the inputs table (src/action/input-spec.ts, which action.yml declares
// too) and action.yml's outputs, and show each input's action.yml default.
// README cells: `name` in code; the default in code (`90`, `${{ github.token }}`), or `empty` /
// `empty (off)` for an empty default.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
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
