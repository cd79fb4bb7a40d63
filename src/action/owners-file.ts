// The owners-file input: the file is read here, in the checked-out workspace; what it says is
// core/owners-file.ts parseOwnersFile, imported only when there is a file to parse (it loads the YAML parser).
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { errorMessage } from '../aws/errors.js'
import type { ParsedOwnersFile } from '../core/owners.js'
import type { ActionOptions } from './inputs.js'

// Far more than a thousand rules need; a bigger file is a mistake (or not an owners file).
export const MAX_OWNERS_FILE_BYTES = 1024 * 1024

/**
 * The owners file at `path` (relative to the workspace). The default file may be missing: a
 * repository without one has no rules. A file named explicitly must be there: a typo must not
 * silently leave every finding unowned. Empty `path`: no owners file.
 */
export async function readOwnersFile(path: string, explicit: boolean, workspace: string): Promise<ParsedOwnersFile> {
  const name = path.trim()
  if (name === '') return { ok: true, rules: [], notes: [] }
  const full = isAbsolute(name) ? name : resolve(workspace, name)
  const problem = (text: string): ParsedOwnersFile => ({ ok: false, errors: [`owners-file: ${name} ${text}`] })
  let size: number
  try {
    const info = await stat(full)
    if (info.isDirectory()) return problem('is a directory, not a file')
    if (!info.isFile()) return problem('is not a regular file')
    size = info.size
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // ENOTDIR: a part of the path is a file (`.github` is not a directory): the file is not there either.
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!explicit) return { ok: true, rules: [], notes: [] }
      return problem(`does not exist (looked for ${full}): check the path, and that the repository is checked out (actions/checkout) before this step`)
    }
    return problem(`could not be read (${errorMessage(err)})`)
  }
  if (size > MAX_OWNERS_FILE_BYTES) {
    return problem(`is ${size.toLocaleString('en-US')} bytes: an owners file may be at most 1 MiB (${MAX_OWNERS_FILE_BYTES.toLocaleString('en-US')} bytes)`)
  }
  let text: string
  try {
    text = await readFile(full, 'utf8')
  } catch (err) {
    return problem(`could not be read (${errorMessage(err)})`)
  }
  const { parseOwnersFile } = await import('../core/owners-file.js')
  return parseOwnersFile(text, name)
}

/**
 * The options with the owners file's rules, read before any AWS call; or its problems, each
 * starting with `owners-file:` like every input error, to be listed with the others.
 */
export async function withOwnersFile(
  options: ActionOptions,
  workspace: string
): Promise<{ ok: true; options: ActionOptions } | { ok: false; errors: string[] }> {
  const { path, explicit } = options.owners.file
  const read = await readOwnersFile(path, explicit, workspace)
  if (!read.ok) return { ok: false, errors: read.errors.map((e) => (e.startsWith('owners-file:') ? e : `owners-file: ${e}`)) }
  return { ok: true, options: { ...options, owners: { ...options.owners, rules: read.rules, notes: read.notes } } }
}
