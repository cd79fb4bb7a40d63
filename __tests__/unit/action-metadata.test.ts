// action.yml is the product's interface and its Marketplace listing: it must satisfy the action
// metadata schema (SchemaStore's github-action.json, as bundled by @action-validator/core), run
// the bundle on node24, and declare the inputs of the inputs table (src/action/input-spec.ts), as
// the local-action .env.example must.
import { describe, expect, it } from '@jest/globals'
import { validateAction, type ValidationError } from '@action-validator/core'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, parseDocument } from 'yaml'
import { INPUT_DEFAULTS, INPUT_NAMES, INPUTS, type InputSpec } from '../../src/action/input-spec.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SOURCE = readFileSync(join(ROOT, 'action.yml'), 'utf8')

interface ActionYml {
  name?: string
  description?: string
  author?: string
  branding?: { icon?: string; color?: string }
  inputs: Record<string, { description?: string; required?: boolean; default?: unknown }>
  outputs: Record<string, { description?: string }>
  runs: { using?: string; main?: string }
}

const action = parse(SOURCE) as ActionYml

/**
 * The schema bundled in @action-validator/core 0.6.0 predates node24 (its `runs.using` enum
 * stops at node20), so the schema check sees `node20` in its place; the `runs.using: node24`
 * test below pins the real value.
 */
function forBundledSchema(source: string): string {
  const doc = parseDocument(source)
  if (doc.getIn(['runs', 'using']) === 'node24') doc.setIn(['runs', 'using'], 'node20')
  return doc.toString()
}

/** One line per schema error, with the failed branches of a oneOf. */
function describeErrors(errors: ValidationError[], indent = ''): string[] {
  return errors.flatMap((e) => {
    const where = 'path' in e ? e.path : `line ${e.location?.line ?? '?'}`
    const line = `${indent}${where}: ${e.title}${e.detail ? ` (${e.detail})` : ''} [${e.code}]`
    const nested = 'states' in e && e.states ? e.states.flatMap((s) => describeErrors(s.errors, `${indent}  `)) : []
    return [line, ...nested]
  })
}

describe('action.yml against the action metadata schema (@action-validator/core)', () => {
  it('has no schema errors', () => {
    const state = validateAction(forBundledSchema(SOURCE))
    expect(state.actionType).toBe('action')
    expect(describeErrors(state.errors)).toEqual([])
  })

  it('the validator rejects what GitHub rejects (the check is not vacuous)', () => {
    const broken = parseDocument(forBundledSchema(SOURCE))
    broken.delete('description')
    broken.setIn(['branding', 'icon'], 'key') // a Feather icon GitHub does not offer
    broken.setIn(['inputs', 'fail-on', 'typo'], 'x')
    const paths = validateAction(broken.toString()).errors.map((e) => ('path' in e ? e.path : ''))
    expect(paths).toEqual(expect.arrayContaining(['/description', '/branding/icon', '/inputs/fail-on']))
  })
})

describe('action.yml: runtime and Marketplace listing', () => {
  it('runs the committed ncc bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(join(ROOT, 'dist/index.js'))).toBe(true)
  })

  it('has a name, a description, an author and branding', () => {
    for (const key of ['name', 'description', 'author'] as const) {
      expect(typeof action[key]).toBe('string')
      expect(action[key]?.trim()).not.toBe('')
    }
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
  })

  it('describes every input and output', () => {
    const undescribed = [...Object.entries(action.inputs), ...Object.entries(action.outputs)]
      .filter(([, spec]) => !spec.description?.trim())
      .map(([name]) => name)
    expect(undescribed).toEqual([])
  })
})

describe('action.yml and .env.example declare the inputs of the inputs table', () => {
  it('action.yml declares exactly the inputs of the table, with its defaults', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs).map(([name, spec]) => [name, String(spec.default ?? '')])
    )
    const table = Object.fromEntries(
      INPUT_NAMES.map((name) => {
        const spec: InputSpec<unknown> = INPUTS[name]
        return [name, spec.actionYmlDefault ?? spec.default]
      })
    )
    expect(declared).toEqual(table)
    // The runner evaluates ${{ github.token }}; the parser's own default for it is empty.
    expect({ ...declared, 'github-token': '' }).toEqual(INPUT_DEFAULTS)
    expect(declared['github-token']).toBe('${{ github.token }}')
    expect(Object.values(action.inputs).filter((spec) => spec.required)).toEqual([])
  })

  it(".env.example sets an INPUT_ variable for every input of the table, named as local-action reads it, to the parser's default", () => {
    const env = readFileSync(join(ROOT, '.env.example'), 'utf8')
    const variables = [...env.matchAll(/^INPUT_([^=\s]+)=(.*)$/gm)].map((m) => [m[1], m[2].trim()])
    const names = variables.map(([name]) => name)
    // local-action upper-cases the input name and keeps its hyphens: INPUT_MAX-KEY-AGE-DAYS.
    expect(names.sort()).toEqual(INPUT_NAMES.map((n) => n.toUpperCase()).sort())
    expect(Object.fromEntries(variables)).toEqual(
      Object.fromEntries(INPUT_NAMES.map((n) => [n.toUpperCase(), INPUT_DEFAULTS[n]]))
    )
  })
})
