// The build's licenses.txt: every bundled package once, from every chunk and from inside
// concatenated modules, in license-webpack-plugin's format (what ncc --license writes).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { packageDir, renderLicenses } from '../../../script/licenses.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

function statsFile(modules: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'licenses-')), 'stats.json')
  writeFileSync(file, JSON.stringify({ modules }))
  return file
}

describe('packageDir', () => {
  it('names the innermost package of a module, scoped or not', () => {
    expect(packageDir('./node_modules/yaml/dist/index.js')).toBe(join(ROOT, 'node_modules/yaml'))
    expect(packageDir('./node_modules/a/node_modules/@b/c/lib/x.js')).toBe(join(ROOT, 'node_modules/a/node_modules/@b/c'))
  })

  it('is null for the project’s own modules and for Node’s', () => {
    expect(packageDir('./src/action/main.ts')).toBeNull()
    expect(packageDir('external "node:http"')).toBeNull()
  })
})

describe('renderLicenses', () => {
  const yamlLicense = readFileSync(join(ROOT, 'node_modules/yaml/LICENSE'), 'utf8')
  const minimatchLicense = readFileSync(join(ROOT, 'node_modules/minimatch/LICENSE.md'), 'utf8')

  it('lists each package once, sorted, with its type and text; those concatenated into the entry too', () => {
    const stats = statsFile([
      {
        name: './src/index.ts + 2 modules',
        modules: [{ name: './src/action/main.ts' }, { name: './node_modules/minimatch/dist/esm/index.js' }]
      },
      { name: './node_modules/yaml/dist/index.js' },
      { name: './node_modules/yaml/dist/parse/parser.js' },
      { name: 'external "fs"' }
    ])
    expect(renderLicenses([stats])).toBe(`minimatch\nBlueOak-1.0.0\n${minimatchLicense}\n\nyaml\nISC\n${yamlLicense}`)
  })

  it('joins the packages of several builds', () => {
    const a = statsFile([{ name: './node_modules/yaml/dist/index.js' }])
    const b = statsFile([{ name: './node_modules/minimatch/dist/esm/index.js' }])
    expect(renderLicenses([a, b])).toBe(`minimatch\nBlueOak-1.0.0\n${minimatchLicense}\n\nyaml\nISC\n${yamlLicense}`)
  })
})
