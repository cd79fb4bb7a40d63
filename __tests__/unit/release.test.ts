// One version in three places: package.json, CHANGELOG.md's newest released heading, and the tag
// script/release makes. The script itself is run for real, in a throw-away git repository with a
// bare "origin", to show which tags it makes, which it moves, and what it refuses.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RELEASE = join(ROOT, 'script/release')
// A deadline for every child process, so a prompt or a hung git never holds the suite.
const DEADLINE_MS = 60_000

/** The first released heading, `## [X.Y.Z]`, of a Keep a Changelog file. */
function newestRelease(changelog: string): string | undefined {
  return /^## \[(\d+\.\d+\.\d+)\]/m.exec(changelog)?.[1]
}

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

// Git and npm isolated from the machine's configuration (signing, hooks, identity).
const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release@example.com',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release@example.com',
  npm_config_update_notifier: 'false'
}

function run(cwd: string, command: string, args: string[]): Run {
  const r = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: DEADLINE_MS })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('the version', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    version: string
    packages: Record<string, { version?: string }>
  }
  const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')

  it("package.json's version is CHANGELOG.md's newest released heading", () => {
    expect(newestRelease(changelog)).toBeDefined()
    expect(pkg.version).toBe(newestRelease(changelog))
  })

  it('package-lock.json says the same version', () => {
    expect([lock.version, lock.packages[''].version]).toEqual([pkg.version, pkg.version])
  })

  it('the changes since then are under "## [Unreleased]", above it', () => {
    const unreleased = changelog.indexOf('\n## [Unreleased]')
    expect(unreleased).toBeGreaterThan(0)
    expect(unreleased).toBeLessThan(changelog.indexOf(`\n## [${pkg.version}]`))
  })

  it("SECURITY.md supports package.json's major line", () => {
    const major = `v${pkg.version.split('.')[0]}`
    const security = readFileSync(join(ROOT, 'SECURITY.md'), 'utf8')
    expect(security).toContain(`| the newest \`${major}.x.y\` (what the \`${major}\` tag points to) | yes |`)
    expect(security).toContain(`tag (\`${major}\`) is moved to it`)
  })

  it('script/release --check agrees, and prints it', () => {
    const r = run(ROOT, RELEASE, ['--check'])
    expect(r).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' })
  })
})

describe('script/release in a scratch repository', () => {
  let dir: string
  let repo: string
  let origin: string

  const git = (...args: string[]): string => {
    const r = run(repo, 'git', args)
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
    return r.stdout.trim()
  }
  const release = (...args: string[]): Run => run(repo, RELEASE, args)
  const tags = (): string[] => git('tag', '--list').split('\n').filter(Boolean).sort()
  /** The commit a tag points to (annotated tags peeled). */
  const at = (ref: string): string => git('rev-parse', `${ref}^{commit}`)

  /**
   * package.json, CHANGELOG.md and the sources at `version`, built and committed on main;
   * `unreleased` is what the "## [Unreleased]" section holds.
   */
  function commitVersion(version: string, releases: string[], unreleased: string[] = []): string {
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'scratch', version, private: true, scripts: { build: 'node build.cjs' } }))
    writeFileSync(
      join(repo, 'CHANGELOG.md'),
      [
        '# Changelog',
        '',
        '## [Unreleased]',
        '',
        ...unreleased,
        ...releases.flatMap((v) => [`## [${v}]`, '', `- release ${v}`, '']),
        ...releases.map((v) => `[${v}]: https://github.com/OWNER/scratch/releases/tag/v${v}`)
      ].join('\n')
    )
    const source = `code of ${version}\n`
    writeFileSync(join(repo, 'src.txt'), source)
    expect(run(repo, process.execPath, ['build.cjs']).status).toBe(0)
    git('add', '-A')
    git('commit', '-q', '-m', `version ${version}`)
    git('push', '-q', 'origin', 'main')
    return git('rev-parse', 'HEAD')
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iam-key-sentry-release-'))
    repo = join(dir, 'repo')
    origin = join(dir, 'origin.git')
    mkdirSync(repo)
    expect(run(dir, 'git', ['init', '-q', '--bare', '-b', 'main', origin]).status).toBe(0)
    git('init', '-q', '-b', 'main')
    git('remote', 'add', 'origin', origin)
    // The "bundler": dist/ is a copy of the sources, as ncc's output is a function of them.
    writeFileSync(
      join(repo, 'build.cjs'),
      "const fs = require('fs'); fs.mkdirSync('dist', { recursive: true }); fs.copyFileSync('src.txt', 'dist/index.js')\n"
    )
    commitVersion('1.0.0', ['1.0.0'])
    git('branch', '-q', '--set-upstream-to', 'origin/main')
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('--dry-run makes every check, says what it would tag, and tags nothing', () => {
    const r = release('--dry-run', 'v1.0.0')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Would tag v1.0.0 at')
    expect(r.stdout).toContain('Would move v1 to v1.0.0')
    expect(tags()).toEqual([])
  })

  it('tags vX.Y.Z and makes the major tag vX, both annotated, on HEAD', () => {
    const head = git('rev-parse', 'HEAD')
    const r = release('v1.0.0')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('git push origin v1.0.0')
    expect(r.stdout).toContain('git push --force origin v1')
    expect(r.stdout).toContain('gh release create v1.0.0 iam-key-sentry-1.0.0.tgz')
    expect(tags()).toEqual(['v1', 'v1.0.0'])
    expect([at('v1.0.0'), at('v1')]).toEqual([head, head])
    expect([git('cat-file', '-t', 'v1.0.0'), git('cat-file', '-t', 'v1')]).toEqual(['tag', 'tag'])
  })

  it('moves vX to each newer release of the line, and leaves it for a fix of an older one', () => {
    expect(release('v1.0.0').status).toBe(0)
    const minor = commitVersion('1.1.0', ['1.1.0', '1.0.0'])
    expect(release('v1.1.0').status).toBe(0)
    expect(at('v1')).toBe(minor)

    // A fix of 1.0 released after 1.1: v1 stays on 1.1.0.
    const fix = commitVersion('1.0.1', ['1.0.1', '1.1.0', '1.0.0'])
    const r = release('v1.0.1')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Left v1 where it is: v1.1.0 is newer than v1.0.1')
    expect([at('v1.0.1'), at('v1')]).toEqual([fix, minor])
  })

  it('a new major makes vX+1 and leaves vX on its line', () => {
    expect(release('v1.0.0').status).toBe(0)
    const one = at('v1')
    const two = commitVersion('2.0.0', ['2.0.0', '1.0.0'])
    expect(release('v2.0.0').status).toBe(0)
    expect(tags()).toEqual(['v1', 'v1.0.0', 'v2', 'v2.0.0'])
    expect([at('v1'), at('v2')]).toEqual([one, two])
  })

  it('--push pushes the release and moves the major tag on the remote', () => {
    expect(release('--push', 'v1.0.0').status).toBe(0)
    const minor = commitVersion('1.1.0', ['1.1.0', '1.0.0'])
    expect(release('--push', 'v1.1.0').status).toBe(0)
    const remote = run(origin, 'git', ['rev-parse', 'v1^{commit}', 'v1.1.0^{commit}', 'v1.0.0^{commit}'])
    expect(remote.stdout.trim().split('\n')).toEqual([minor, minor, at('v1.0.0')])
  })

  describe('refuses, and tags nothing', () => {
    function refused(args: string[], message: string | RegExp): void {
      const before = tags()
      const r = release(...args)
      expect(r.status).not.toBe(0)
      expect(r.stderr).toMatch(message)
      expect(tags()).toEqual(before)
    }

    it('a version package.json and CHANGELOG.md do not say', () => {
      refused(['v1.1.0'], 'package.json and CHANGELOG.md say 1.0.0, not 1.1.0')
    })

    it('when package.json and CHANGELOG.md disagree (and --check says so)', () => {
      writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.1.0', scripts: { build: 'node build.cjs' } }))
      git('commit', '-q', '-am', 'package.json only')
      git('push', '-q', 'origin', 'main')
      const message = "package.json says version 1.1.0, CHANGELOG.md's newest release is 1.0.0"
      refused(['v1.1.0'], message)
      refused(['v1.0.0'], message)
      refused(['--check'], message)
    })

    it('while "## [Unreleased]" has entries, and says to move them under a version heading', () => {
      commitVersion('1.0.0', ['1.0.0'], ['### Added', '', '- a change not released yet', ''])
      const message = 'CHANGELOG.md\'s "## [Unreleased]" section has entries (1 line; the first shown above): move them under a version heading first'
      refused(['--dry-run', 'v1.0.0'], message)
      refused(['v1.0.0'], message)
      expect(release('v1.0.0').stderr).toContain('- a change not released yet')
      // --check is about the version only: entries pile up under Unreleased between releases.
      expect(release('--check')).toEqual({ status: 0, stdout: '1.0.0\n', stderr: '' })
    })

    it('but an empty "### Added" heading under "## [Unreleased]" is no entry', () => {
      commitVersion('1.0.0', ['1.0.0'], ['### Added', '', '### Fixed', ''])
      expect(release('--dry-run', 'v1.0.0')).toMatchObject({ status: 0, stderr: '' })
    })

    it('a version that is not vX.Y.Z', () => {
      refused(['1.0.0'], 'version must look like v1.2.3')
      refused(['v1.0'], 'version must look like v1.2.3')
    })

    it('a tag that exists', () => {
      expect(release('v1.0.0').status).toBe(0)
      refused(['v1.0.0'], 'the tag v1.0.0 exists already')
    })

    it('off main', () => {
      git('checkout', '-q', '-b', 'topic')
      refused(['v1.0.0'], 'releases are tagged on main; the current branch is topic')
    })

    it('with changes in the work tree, untracked files too', () => {
      writeFileSync(join(repo, 'notes.txt'), 'draft\n')
      refused(['v1.0.0'], 'the work tree is not clean')
    })

    it('with commits the remote does not have', () => {
      writeFileSync(join(repo, 'notes.txt'), 'draft\n')
      git('add', 'notes.txt')
      git('commit', '-q', '-m', 'not pushed')
      refused(['v1.0.0'], 'main and origin/main differ')
    })

    it('when dist/ is not what the sources build to, and leaves the rebuilt dist/ to be committed', () => {
      writeFileSync(join(repo, 'src.txt'), 'changed, not rebuilt\n')
      git('commit', '-q', '-am', 'source change without a build')
      git('push', '-q', 'origin', 'main')
      refused(['--dry-run', 'v1.0.0'], 'dist/ is not what the sources build to')
      expect(readFileSync(join(repo, 'dist/index.js'), 'utf8')).toBe('changed, not rebuilt\n')
      git('checkout', '--', 'dist')
      refused(['v1.0.0'], 'dist/ is not what the sources build to')
    })
  })
})
