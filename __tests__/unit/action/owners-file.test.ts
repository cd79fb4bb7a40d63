import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { MAX_OWNERS_FILE_BYTES, readOwnersFile } from '../../../src/action/owners-file.js'

const DEFAULT = '.github/iam-key-owners.yml'
const RULES = '- users: "svc-*"\n  owners: ["@acme/platform", alice]\n'

/** A fresh workspace, with the given files. */
function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'owners-file-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

describe('readOwnersFile', () => {
  it('reads the file relative to the workspace, naming it as given', async () => {
    const dir = workspace({ [DEFAULT]: RULES })
    expect(await readOwnersFile(DEFAULT, false, dir)).toEqual({
      ok: true,
      rules: [{ users: ['svc-*'], accounts: null, owners: [{ kind: 'team', value: '@acme/platform' }, { kind: 'name', value: 'alice' }], line: 1 }],
      notes: [`${DEFAULT} line 2: "alice" is not a GitHub login (@name), team (@org/team) or e-mail address: kept as a plain name`]
    })
  })

  it('reads an absolute path as it is', async () => {
    const dir = workspace({ 'owners.yml': RULES })
    const read = await readOwnersFile(join(dir, 'owners.yml'), true, '/nonexistent')
    expect(read.ok && read.rules).toHaveLength(1)
  })

  it('gives no rules when the default file is missing', async () => {
    expect(await readOwnersFile(DEFAULT, false, workspace())).toEqual({ ok: true, rules: [], notes: [] })
    // .github is a file: the owners file is not there either.
    expect(await readOwnersFile(DEFAULT, false, workspace({ '.github': 'x' }))).toEqual({ ok: true, rules: [], notes: [] })
  })

  it('refuses a missing file that was named explicitly, naming the input', async () => {
    const dir = workspace()
    expect(await readOwnersFile('owners/typo.yml', true, dir)).toEqual({
      ok: false,
      errors: [
        `owners-file: owners/typo.yml does not exist (looked for ${join(dir, 'owners/typo.yml')}): check the path, and that the repository is checked out (actions/checkout) before this step`
      ]
    })
  })

  it('gives no rules for an empty path', async () => {
    expect(await readOwnersFile('  ', true, workspace())).toEqual({ ok: true, rules: [], notes: [] })
  })

  it('refuses a directory, even at the default path', async () => {
    const dir = workspace()
    mkdirSync(join(dir, DEFAULT), { recursive: true })
    expect(await readOwnersFile(DEFAULT, false, dir)).toEqual({ ok: false, errors: [`owners-file: ${DEFAULT} is a directory, not a file`] })
  })

  it(`refuses a file over ${MAX_OWNERS_FILE_BYTES} bytes without reading it`, async () => {
    const dir = workspace({ [DEFAULT]: `# ${'x'.repeat(MAX_OWNERS_FILE_BYTES)}\n` })
    expect(await readOwnersFile(DEFAULT, false, dir)).toEqual({
      ok: false,
      errors: [`owners-file: ${DEFAULT} is 1,048,579 bytes: an owners file may be at most 1 MiB (1,048,576 bytes)`]
    })
  })

  it('follows a symbolic link, and refuses a dangling one named explicitly', async () => {
    const dir = workspace({ 'real.yml': RULES })
    symlinkSync(join(dir, 'real.yml'), join(dir, 'link.yml'))
    symlinkSync(join(dir, 'gone.yml'), join(dir, 'dangling.yml'))
    expect((await readOwnersFile('link.yml', true, dir)).ok).toBe(true)
    expect(await readOwnersFile('dangling.yml', true, dir)).toEqual({ ok: false, errors: [expect.stringMatching(/^owners-file: dangling\.yml does not exist/)] })
  })

  it('refuses what is not a regular file, and says a path that cannot be read could not be read', async () => {
    expect(await readOwnersFile('/dev/null', true, workspace())).toEqual({ ok: false, errors: ['owners-file: /dev/null is not a regular file'] })
    // (Root reads any file whatever its mode, so an over-long name stands in for an unreadable one.)
    const long = `${'x'.repeat(300)}.yml`
    expect(await readOwnersFile(long, false, workspace())).toEqual({
      ok: false,
      errors: [expect.stringMatching(new RegExp(`^owners-file: ${long.replace(/\./g, '\\.')} could not be read \\((Error: )?ENAMETOOLONG.*\\)$`))]
    })
  })

  it('passes on the errors of a file that is not a valid owners file', async () => {
    const dir = workspace({ [DEFAULT]: '- users: a\n\n- users: b\n  owners: []\n' })
    expect(await readOwnersFile(DEFAULT, false, dir)).toEqual({
      ok: false,
      errors: [
        `${DEFAULT} line 1: rule 1 has no "owners" (a list of logins, teams or e-mail addresses)`,
        `${DEFAULT} line 4: "owners" must be a list of GitHub logins, teams or e-mail addresses, not an empty list`
      ]
    })
  })

  it('reads an empty file as no rules', async () => {
    expect(await readOwnersFile(DEFAULT, true, workspace({ [DEFAULT]: '' }))).toEqual({ ok: true, rules: [], notes: [] })
  })
})
