// The licences of every package a build bundles, in every chunk, as one file.
// ncc's --license writes one licenses.txt per chunk to the same name, so with chunks (the
// sinks loaded on demand) the file would keep only the last chunk's packages. This rewrites it
// from the build's webpack stats (ncc --stats-out), in the same format license-webpack-plugin
// writes: per package, sorted by name, its name, its licence's type and its licence's text.
// Run: tsx script/licenses.ts <stats.json> <licenses.txt>
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

interface StatsModule {
  name?: string
  modules?: StatsModule[]
}

const ROOT = fileURLToPath(new URL('..', import.meta.url))
// license-webpack-plugin's own pattern for a package's licence file.
const LICENSE_FILE = /^(license|licence|copying)(\.|-|$)/i

/** Every module's name, those concatenated into another (`./src/index.ts + 80 modules`) too. */
function moduleNames(modules: StatsModule[]): string[] {
  return modules.flatMap((m) => [...(m.name ? [m.name] : []), ...moduleNames(m.modules ?? [])])
}

/** `./node_modules/a/node_modules/@b/c/lib/x.js` -> the directory of `@b/c`; null outside node_modules. */
export function packageDir(moduleName: string): string | null {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(moduleName.replace(/^\.\//, ''))
  return match ? resolve(ROOT, match[1]) : null
}

interface PackageLicense {
  name: string
  type: string
  text: string | null
}

function readPackage(dir: string): PackageLicense {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; license?: string | { type?: string } }
  const type = typeof json.license === 'string' ? json.license : (json.license?.type ?? 'UNKNOWN')
  const file = readdirSync(dir).find((f) => LICENSE_FILE.test(f))
  return { name: json.name, type, text: file ? readFileSync(join(dir, file), 'utf8') : null }
}

/** license-webpack-plugin's licenses.txt, byte for byte, for the packages of all the builds' chunks. */
export function renderLicenses(statsFiles: string[]): string {
  const dirs = new Set<string>()
  for (const file of statsFiles) {
    const stats = JSON.parse(readFileSync(file, 'utf8')) as { modules: StatsModule[] }
    for (const name of moduleNames(stats.modules)) {
      const dir = packageDir(name)
      if (dir && existsSync(join(dir, 'package.json'))) dirs.add(dir)
    }
  }
  const packages = new Map([...dirs].map(readPackage).map((p) => [p.name, p]))
  return [...packages.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => [p.name, p.type, ...(p.text ? [p.text] : [])].join('\n'))
    .join('\n\n')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [stats, out] = process.argv.slice(2)
  if (!stats || !out) {
    console.error('usage: tsx script/licenses.ts <stats.json> <licenses.txt>')
    process.exit(2)
  }
  writeFileSync(resolve(out), renderLicenses([stats]))
}
