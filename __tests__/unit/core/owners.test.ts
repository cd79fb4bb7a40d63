import { describe, expect, it } from '@jest/globals'
import {
  MAX_OWNERS,
  MAX_RULES,
  emailAddresses,
  githubLogins,
  mentionable,
  ownerKey,
  ownersFor,
  parseOwner,
  parseOwnerList,
  quote,
  ruleMatches,
  type Owner,
  type OwnerRule,
  type ParsedOwnersFile
} from '../../../src/core/owners.js'
import { parseOwnersFile } from '../../../src/core/owners-file.js'
import { isRootFinding } from '../../../src/core/policy.js'
import { ACCOUNT, OTHER_ACCOUNT, finding } from '../helpers.js'

const FILE = '.github/iam-key-owners.yml'
const login = (value: string): Owner => ({ kind: 'login', value })
const team = (value: string): Owner => ({ kind: 'team', value })
const email = (value: string): Owner => ({ kind: 'email', value })
const name = (value: string): Owner => ({ kind: 'name', value })
const plainNote = (text: string) =>
  `${JSON.stringify(text)} is not a GitHub login (@name), team (@org/team) or e-mail address: kept as a plain name`

/** The file's text from lines, so line numbers in expectations are easy to count. */
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`

function rulesOf(parsed: ParsedOwnersFile): OwnerRule[] {
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.rules
}

function errorsOf(parsed: ParsedOwnersFile): string[] {
  if (parsed.ok) throw new Error(`expected errors, got ${JSON.stringify(parsed.rules)}`)
  return parsed.errors
}

describe('parseOwner', () => {
  it.each(['@alice', '@a', '@Alice-Smith', '@a1-b2-c3', `@${'a'.repeat(39)}`, '@0xdeadbeef', '@everyone'])('%s is a GitHub login', (text) => {
    // @everyone means nothing special on GitHub: it is the login "everyone", mentioned like any other.
    expect(parseOwner(text)).toEqual(login(text))
  })

  it.each(['@acme/platform', '@Acme/Platform-Team', '@acme/team_name.v2', '@a-b/c'])('%s is a team', (text) => {
    expect(parseOwner(text)).toEqual(team(text))
  })

  it.each([
    ['alice@example.com', 'alice@example.com'],
    ['Platform-Oncall@Example.COM', 'platform-oncall@example.com'],
    ['first.last+iam@mail.example.co.uk', 'first.last+iam@mail.example.co.uk']
  ])('%s is an e-mail address, kept in lower case', (text, value) => {
    expect(parseOwner(text)).toEqual(email(value))
  })

  it.each([
    'alice',
    'Team Billing',
    '@bad--login',
    '@-x',
    '@x-',
    '@',
    `@${'a'.repeat(40)}`,
    '@acme/',
    '@acme/-x',
    '@acme/a/b',
    '@bad--org/team',
    '@acme/platform team',
    'alice@',
    '@example.com',
    'alice@localhost',
    'a b@example.com',
    '<alice@example.com>',
    'Alice <alice@example.com>',
    'alice@exa_mple.com',
    '`alice@example.com`',
    'mailto:alice@example.com',
    '<img src=x>',
    '[x](y)',
    '::error::boom',
    '@alice.',
    '#42'
  ])('%j is a plain name', (text) => {
    expect(parseOwner(text)).toEqual(name(text))
  })

  it('takes control and format characters out of a name, and cuts a long one', () => {
    expect(parseOwner('Team\tBilling\n\u0007Ops\u200b\u202e')).toEqual(name('Team Billing Ops'))
    const long = parseOwner('x'.repeat(500)).value
    expect(long).toHaveLength(100)
    expect(long.endsWith('…')).toBe(true)
  })
})

describe('parseOwnerList', () => {
  it('reads owners of every kind, separated by spaces or commas', () => {
    expect(parseOwnerList('@alice @acme/platform, oncall@example.com,@bob  ,  carol')).toEqual({
      owners: [login('@alice'), team('@acme/platform'), email('oncall@example.com'), login('@bob'), name('carol')],
      notes: [plainNote('carol')]
    })
  })

  it.each(['', '   ', ',', ' , ,, ', '\n\t'])('%j names no owner', (text) => {
    expect(parseOwnerList(text)).toEqual({ owners: [], notes: [] })
  })

  it('drops repeats whatever their case, keeping the first spelling', () => {
    expect(parseOwnerList('@Alice @alice @ALICE @acme/Platform @acme/platform A@Example.com a@example.com bob Bob')).toEqual({
      owners: [login('@Alice'), team('@acme/Platform'), email('a@example.com'), name('bob')],
      notes: [plainNote('bob')]
    })
  })

  it('keeps a word that is not an owner as a plain name, and says so once', () => {
    expect(parseOwnerList('alice @bad--login alice @-x')).toEqual({
      owners: [name('alice'), name('@bad--login'), name('@-x')],
      notes: [plainNote('alice'), plainNote('@bad--login'), plainNote('@-x')]
    })
  })

  it('splits a plain-text team name into words, as the tag separates owners by spaces', () => {
    expect(parseOwnerList('Team Billing').owners).toEqual([name('Team'), name('Billing')])
  })

  it(`keeps the first ${MAX_OWNERS} owners, and says how many were listed`, () => {
    const text = Array.from({ length: 25 }, (_, i) => `@user${i}`).join(' ')
    const parsed = parseOwnerList(text)
    expect(parsed.owners).toHaveLength(MAX_OWNERS)
    expect(parsed.owners[19]).toEqual(login('@user19'))
    expect(parsed.notes).toEqual([`25 owners listed: only the first ${MAX_OWNERS} are kept`])
  })

  it('counts owners after repeats are dropped', () => {
    expect(parseOwnerList(Array.from({ length: 30 }, () => '@alice').join(' '))).toEqual({ owners: [login('@alice')], notes: [] })
  })

  describe('hostile values', () => {
    it('keeps markup, mentions and workflow commands as names, never as logins or teams', () => {
      const parsed = parseOwnerList('<img src=x onerror=alert(1)> [x](https://evil) `code` ::error::pwned ::add-mask::x @torvalds!')
      expect(parsed.owners.every((o) => o.kind === 'name')).toBe(true)
      expect(parsed.owners.map((o) => o.value)).toEqual(['<img', 'src=x', 'onerror=alert(1)>', '[x](https://evil)', '`code`', '::error::pwned', '::add-mask::x', '@torvalds!'])
    })

    it('splits at line breaks and control characters: no owner or note spans lines', () => {
      const parsed = parseOwnerList('@alice\n::error::pwned\r\n@bob\u0000evil\u0085x\u2028y')
      expect(parsed.owners).toEqual([login('@alice'), name('::error::pwned'), login('@bob'), name('evil'), name('x'), name('y')])
      for (const text of [...parsed.notes, ...parsed.owners.map((o) => o.value)]) expect(text).not.toMatch(/[\n\r\u0085\u2028\u2029]/)
    })

    it('quotes a name in a note as JSON, so nothing in it reads as a line of its own', () => {
      expect(parseOwnerList('::warning::x').notes).toEqual([plainNote('::warning::x')])
      expect(parseOwnerList('::warning::x').notes[0].startsWith('"')).toBe(true)
    })

    it('escapes line separators and invisible characters when quoting', () => {
      expect(quote('a\nb\u2028c\u202ed\u0085')).toBe('"a\\nb\\u2028c\\u202ed\\u0085"')
      expect(quote('x'.repeat(200))).toBe(`"${'x'.repeat(79)}…"`)
      // A tag character (U+E0041, invisible) is escaped as its two UTF-16 halves, like JSON.
      expect(quote('a\u{E0041}b')).toBe('"a\\udb40\\udc41b"')
    })
  })
})

describe('owner helpers', () => {
  const owners = [login('@alice'), team('@acme/platform'), email('a@example.com'), name('Team Billing'), login('@Bob'), login('@ALICE')]

  it('mentions logins and teams only', () => {
    expect(owners.filter(mentionable)).toEqual([login('@alice'), team('@acme/platform'), login('@Bob'), login('@ALICE')])
  })

  it('gives the logins without @ for assignees, once each, and no teams', () => {
    expect(githubLogins(owners)).toEqual(['alice', 'Bob'])
  })

  it('gives the e-mail addresses', () => {
    expect(emailAddresses(owners)).toEqual(['a@example.com'])
  })

  it('keys an owner by kind and case-folded value', () => {
    expect(ownerKey(login('@Alice'))).toBe(ownerKey(login('@alice')))
    expect(ownerKey(login('@alice'))).not.toBe(ownerKey(name('@alice')))
  })
})

describe('parseOwnersFile', () => {
  it('reads the example of DESIGN.md', () => {
    const text = yaml(
      '# .github/iam-key-owners.yml',
      "- users: ['svc-*', 'deploy-*']",
      "  owners: ['@acme/platform', 'platform-oncall@example.com']",
      "- accounts: ['210987654321']",
      "  users: ['*']",
      "  owners: ['@acme/data']"
    )
    expect(parseOwnersFile(text, FILE)).toEqual({
      ok: true,
      rules: [
        { users: ['svc-*', 'deploy-*'], accounts: null, owners: [team('@acme/platform'), email('platform-oncall@example.com')], line: 2 },
        { users: ['*'], accounts: ['210987654321'], owners: [team('@acme/data')], line: 4 }
      ],
      notes: []
    })
  })

  it.each(['', '\n\n', '# only a comment\n# and another\n', '---\n', '[]\n', '\uFEFF'])('%j has no rules', (text) => {
    expect(parseOwnersFile(text, FILE)).toEqual({ ok: true, rules: [], notes: [] })
  })

  it('takes a single string for users and owners, and block and flow lists alike', () => {
    const rules = rulesOf(
      parseOwnersFile(
        yaml(
          '- users: alice',
          '  owners: "@alice"',
          '- users:',
          '    - bob',
          '    - carol',
          '  owners:',
          '    - "@acme/team"',
          '- {users: [dave], owners: [dave@example.com]}'
        ),
        FILE
      )
    )
    expect(rules).toEqual([
      { users: ['alice'], accounts: null, owners: [login('@alice')], line: 1 },
      { users: ['bob', 'carol'], accounts: null, owners: [team('@acme/team')], line: 3 },
      { users: ['dave'], accounts: null, owners: [email('dave@example.com')], line: 8 }
    ])
  })

  it('reads account ids as strings or numbers, keeping a leading zero', () => {
    const rules = rulesOf(
      parseOwnersFile(
        yaml('- users: "*"', '  accounts: [123456789012, "210987654321", 012345678901]', '  owners: "@a"', '- users: x', '  accounts: 123456789012', '  owners: "@b"'),
        FILE
      )
    )
    expect(rules.map((r) => r.accounts)).toEqual([['123456789012', '210987654321', '012345678901'], ['123456789012']])
  })

  it('reads an unquoted numeric user name as written', () => {
    expect(rulesOf(parseOwnersFile(yaml('- users: [007, 1e3]', '  owners: "@a"'), FILE))[0].users).toEqual(['007', '1e3'])
  })

  it('reads an owners item as one owner, several when it lists several, and plain text as one name', () => {
    const text = yaml('- users: a', '  owners:', '    - "@a, @b"', '    - Team Billing', '    - "@A"', '    - Oncall@Example.com', '    - oncall@example.com')
    const parsed = parseOwnersFile(text, FILE)
    expect(parsed).toEqual({
      ok: true,
      rules: [{ users: ['a'], accounts: null, owners: [login('@a'), login('@b'), name('Team Billing'), email('oncall@example.com')], line: 1 }],
      notes: [`${FILE} line 4: ${plainNote('Team Billing')}`]
    })
  })

  it('notes each plain name with the line of its owners, once', () => {
    const text = yaml('- users: a', '  owners: [alice, "@ok"]', '- users: b', '  owners: [alice, "Billing team"]', '- users: c', '  owners: [alice]')
    const parsed = parseOwnersFile(text, FILE)
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    expect(parsed.notes).toEqual([
      `${FILE} line 2: ${plainNote('alice')}`,
      `${FILE} line 4: ${plainNote('alice')}`,
      `${FILE} line 4: ${plainNote('Billing team')}`,
      `${FILE} line 6: ${plainNote('alice')}`
    ])
  })

  it('keeps hostile text in a name, and quotes it in the note', () => {
    const parsed = parseOwnersFile(yaml('- users: a', '  owners: ["::error::pwned\\n<img src=x>", "[x](y) `z`"]'), FILE)
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    expect(parsed.rules[0].owners).toEqual([name('::error::pwned <img src=x>'), name('[x](y) `z`')])
    expect(parsed.notes).toEqual([`${FILE} line 2: ${plainNote('::error::pwned <img src=x>')}`, `${FILE} line 2: ${plainNote('[x](y) `z`')}`])
    for (const note of parsed.notes) expect(note).not.toContain('\n')
  })

  it('names <root> in users, in any case', () => {
    expect(rulesOf(parseOwnersFile(yaml("- users: ['<root>', '<ROOT>']", '  owners: "@sec"'), FILE))[0].users).toEqual(['<root>', '<ROOT>'])
  })

  it('resolves anchors and aliases, so an owner list can be shared', () => {
    const rules = rulesOf(parseOwnersFile(yaml('- users: a', '  owners: &platform ["@acme/platform", ops@example.com]', '- users: b', '  owners: *platform'), FILE))
    expect(rules[1].owners).toEqual([team('@acme/platform'), email('ops@example.com')])
  })

  it('strips a byte-order mark', () => {
    expect(rulesOf(parseOwnersFile(`\uFEFF${yaml('- users: a', '  owners: "@a"')}`, FILE))).toHaveLength(1)
  })

  describe('errors', () => {
    it('names the file, the line and the problem of a users that is not a list of globs', () => {
      const text = yaml('- users: a', '  owners: "@a"', '', '- users: {name: x}', '  owners: "@b"')
      expect(parseOwnersFile(text, FILE)).toEqual({
        ok: false,
        errors: [`${FILE} line 4: "users" must be a list of user-name globs, not a mapping`]
      })
    })

    it('collects every error of every rule, in the order of the file', () => {
      const text = yaml(
        '- users: []', //                                  1
        '  owners: "@a"',
        '- owners: "@b"', //                               3: no users
        '- users: x', //                                   4: no owners
        '- users: [ok, 7, true, ""]', //                   5
        '  accounts: ["12", 123456789012, abc]', //       6
        '  owner: "@c"', //                                7: unknown key (and so no owners)
        '- just text', //                                  8
        '- users: y',
        '  owners: [{x: 1}, "@ok", null]' //            10
      )
      expect(errorsOf(parseOwnersFile(text, FILE))).toEqual([
        `${FILE} line 1: "users" must be a list of user-name globs, not an empty list`,
        `${FILE} line 3: rule 2 has no "users" (a list of user-name globs)`,
        `${FILE} line 4: rule 3 has no "owners" (a list of logins, teams or e-mail addresses)`,
        `${FILE} line 5: "users" must be a list of user-name globs; item 3 is the value "true"`,
        `${FILE} line 5: "users" must be a list of user-name globs; item 4 is empty text`,
        `${FILE} line 5: rule 4 has no "owners" (a list of logins, teams or e-mail addresses)`,
        `${FILE} line 6: "accounts": "12" is not a 12-digit account id`,
        `${FILE} line 6: "accounts": "abc" is not a 12-digit account id`,
        `${FILE} line 7: "owner" is not a key of a rule (users, accounts, owners)`,
        `${FILE} line 8: rule 5 must be a mapping with "users" and "owners", not the text "just text"`,
        `${FILE} line 10: "owners" must be a list of GitHub logins, teams or e-mail addresses; item 1 is a mapping`,
        `${FILE} line 10: "owners" must be a list of GitHub logins, teams or e-mail addresses; item 3 is empty`
      ])
    })

    it('gives each bad item of a block list its own line', () => {
      const text = yaml('- users:', '    - a', '    - [b]', '    - c', '    -', '  owners: "@a"')
      expect(errorsOf(parseOwnersFile(text, FILE))).toEqual([
        `${FILE} line 3: "users" must be a list of user-name globs; item 2 is a list`,
        `${FILE} line 5: "users" must be a list of user-name globs; item 4 is empty`
      ])
    })

    it('gives each bad account id of a block list its own line', () => {
      const text = yaml('- users: a', '  accounts:', '    - 123456789012', '    - 12345', '    - "1234567890ab"', '  owners: "@a"')
      expect(errorsOf(parseOwnersFile(text, FILE))).toEqual([
        `${FILE} line 4: "accounts": "12345" is not a 12-digit account id`,
        `${FILE} line 5: "accounts": "1234567890ab" is not a 12-digit account id`
      ])
    })

    it.each([
      ['users: ~', '"users" must be a list of user-name globs, not empty'],
      ['users: ""', '"users" must be a list of user-name globs, not empty text'],
      ['users: 12', null],
      ['users: true', '"users" must be a list of user-name globs, not the value "true"']
    ])('checks %s', (line, error) => {
      const parsed = parseOwnersFile(yaml(`- ${line}`, '  owners: "@a"'), FILE)
      if (error === null) expect(parsed.ok).toBe(true)
      else expect(errorsOf(parsed)).toEqual([`${FILE} line 1: ${error}`])
    })

    it.each([
      ['accounts: []', '"accounts" must be a list of 12-digit account ids, not an empty list'],
      ['accounts: ~', '"accounts" must be a list of 12-digit account ids, not empty'],
      ['accounts: [1234567890123]', '"accounts": "1234567890123" is not a 12-digit account id'],
      ['accounts: ["12345678901 "]', '"accounts": "12345678901" is not a 12-digit account id'],
      ['accounts: [-12345678901]', '"accounts": "-12345678901" is not a 12-digit account id'],
      ['accounts: [1.2345678901e11]', '"accounts": "1.2345678901e11" is not a 12-digit account id'],
      ['accounts: [arn:aws:iam::123456789012:root]', '"accounts": "arn:aws:iam::123456789012:root" is not a 12-digit account id']
    ])('checks %s', (line, error) => {
      expect(errorsOf(parseOwnersFile(yaml('- users: a', `  ${line}`, '  owners: "@a"'), FILE))).toEqual([`${FILE} line 2: ${error}`])
    })

    it.each([
      ['owners: []', '"owners" must be a list of GitHub logins, teams or e-mail addresses, not an empty list'],
      ['owners: ""', '"owners" must be a list of GitHub logins, teams or e-mail addresses, not empty text'],
      ['owners: {a: b}', '"owners" must be a list of GitHub logins, teams or e-mail addresses, not a mapping']
    ])('checks %s', (line, error) => {
      expect(errorsOf(parseOwnersFile(yaml('- users: a', `  ${line}`), FILE))).toEqual([`${FILE} line 2: ${error}`])
    })

    it('refuses unknown keys, quoting them safely', () => {
      expect(errorsOf(parseOwnersFile(yaml('- users: a', '  owners: "@a"', '  "::error::x\\ny": 1', '  Users: b', '  ? [k]', '  : v'), FILE))).toEqual([
        `${FILE} line 3: "::error::x\\ny" is not a key of a rule (users, accounts, owners)`,
        `${FILE} line 4: "Users" is not a key of a rule (users, accounts, owners)`,
        `${FILE} line 5: a list is not a key of a rule (users, accounts, owners)`
      ])
    })

    it.each([
      ['a mapping', yaml('users: a', 'owners: "@a"'), 'a mapping'],
      ['a string', yaml('hello'), 'the text "hello"'],
      ['a number', yaml('42'), 'the number "42"']
    ])('refuses a top level that is %s', (_what, text, is) => {
      expect(errorsOf(parseOwnersFile(text, FILE))).toEqual([`${FILE} line 1: the file must be a list of rules, each with "users" and "owners", not ${is}`])
    })

    it('gives the line of a YAML syntax error, without the excerpt', () => {
      const errors = errorsOf(parseOwnersFile(yaml('- users: a', '  owners: "@a"', '- users: [b', '  owners: "@b"'), FILE))
      expect(errors.length).toBeGreaterThanOrEqual(1)
      expect(errors[0]).toMatch(new RegExp(`^${FILE.replace(/\./g, '\\.')} line [34]: `))
      for (const error of errors) expect(error).not.toContain('\n')
    })

    it('refuses a duplicate key and a second document, with their lines', () => {
      expect(errorsOf(parseOwnersFile(yaml('- users: a', '  owners: "@a"', '  users: b'), FILE))).toEqual([`${FILE} line 3: Map keys must be unique`])
      expect(errorsOf(parseOwnersFile(yaml('- users: a', '  owners: "@a"', '---', '- users: b'), FILE))[0]).toMatch(
        new RegExp(`^${FILE.replace(/\./g, '\\.')} line 3: Source contains multiple documents`)
      )
    })

    it('gives no rules from a file with any error', () => {
      expect(parseOwnersFile(yaml('- users: a', '  owners: "@a"', '- users: b'), FILE)).toEqual({
        ok: false,
        errors: [`${FILE} line 3: rule 2 has no "owners" (a list of logins, teams or e-mail addresses)`]
      })
    })

    it(`refuses more than ${MAX_RULES} rules`, () => {
      const text = Array.from({ length: MAX_RULES + 1 }, (_, i) => `- {users: u${i}, owners: "@a"}`).join('\n')
      expect(errorsOf(parseOwnersFile(text, FILE))).toEqual([`${FILE}: ${MAX_RULES + 1} rules: at most ${MAX_RULES} are allowed`])
      expect(rulesOf(parseOwnersFile(Array.from({ length: MAX_RULES }, (_, i) => `- {users: u${i}, owners: "@a"}`).join('\n'), FILE))).toHaveLength(MAX_RULES)
    })

    it(`refuses a rule with more than ${MAX_OWNERS} owners, or too many users`, () => {
      const owners = Array.from({ length: MAX_OWNERS + 1 }, (_, i) => `"@u${i}"`).join(', ')
      expect(errorsOf(parseOwnersFile(yaml('- users: a', `  owners: [${owners}]`), FILE))).toEqual([
        `${FILE} line 2: "owners" names ${MAX_OWNERS + 1} owners: at most ${MAX_OWNERS} are allowed`
      ])
      const users = Array.from({ length: 101 }, (_, i) => `u${i}`).join(', ')
      expect(errorsOf(parseOwnersFile(yaml(`- users: [${users}]`, '  owners: "@a"'), FILE))).toEqual([
        `${FILE} line 1: "users" has 101 globs: at most 100 are allowed`
      ])
    })

    it('lists at most 50 errors, and says how many more there are', () => {
      const text = Array.from({ length: 60 }, (_, i) => `- {users: u${i}}`).join('\n')
      const errors = errorsOf(parseOwnersFile(text, FILE))
      expect(errors).toHaveLength(51)
      expect(errors[50]).toBe('… and 10 more errors')
    })
  })
})

describe('ownersFor', () => {
  const key = (userName: string, accountId = ACCOUNT) => ({ accountId, userName, isRoot: false })
  const root = (accountId = ACCOUNT) => ({ accountId, userName: '<root_account>', isRoot: true })
  const rules = rulesOf(
    parseOwnersFile(
      yaml(
        '- users: "*"', //                                            1: everyone, anywhere
        '  owners: "@acme/security"',
        "- users: ['svc-*', 'deploy-*']", //                          3
        "  owners: ['@acme/platform', 'platform-oncall@example.com']",
        '- users: "*"', //                                            5: everyone in the other account
        `  accounts: ['${OTHER_ACCOUNT}']`,
        '  owners: "@acme/data"',
        '- users: svc-billing', //                                    8
        '  owners: [Team Billing]',
        "- users: ['<root>']", //                                     10
        `  accounts: [${ACCOUNT}]`,
        '  owners: "@cto"'
      ),
      FILE
    )
  )

  it('takes the last matching rule, as CODEOWNERS does', () => {
    expect(ownersFor(key('alice'), null, rules)).toEqual({ owners: [team('@acme/security')], source: 'file' })
    expect(ownersFor(key('svc-deploy'), null, rules)).toEqual({ owners: [team('@acme/platform'), email('platform-oncall@example.com')], source: 'file' })
    expect(ownersFor(key('svc-billing'), null, rules)).toEqual({ owners: [name('Team Billing')], source: 'file' })
  })

  it('matches user names without regard to case', () => {
    expect(ownersFor(key('SVC-Deploy'), null, rules).owners).toEqual([team('@acme/platform'), email('platform-oncall@example.com')])
    expect(ownersFor(key('SVC-BILLING'), null, rules).owners).toEqual([name('Team Billing')])
  })

  it('matches a rule with accounts only in those accounts', () => {
    expect(ownersFor(key('alice', OTHER_ACCOUNT), null, rules).owners).toEqual([team('@acme/data')])
    // A later rule with no accounts still wins over it.
    expect(ownersFor(key('svc-billing', OTHER_ACCOUNT), null, rules).owners).toEqual([name('Team Billing')])
    expect(ownersFor(key('svc-deploy', OTHER_ACCOUNT), null, rules).owners).toEqual([team('@acme/data')])
  })

  it('gives the root user only the owners of a rule that names <root>', () => {
    expect(ownersFor(root(), null, rules)).toEqual({ owners: [login('@cto')], source: 'file' })
    // The only <root> rule is for ACCOUNT; `*` does not match root in the other account.
    expect(ownersFor(root(OTHER_ACCOUNT), null, rules)).toEqual({ owners: [], source: null })
  })

  it.each(['*', '**', '?root?', '*root*'])('does not give root to the glob %s', (glob) => {
    const only = rulesOf(parseOwnersFile(yaml(`- users: ['${glob}']`, '  owners: "@a"'), FILE))
    expect(ownersFor(root(), null, only)).toEqual({ owners: [], source: null })
  })

  it.each(['<root*', '<root_account>', 'svc billing*', 'team/svc-*', 'svc:deploy'])(
    'refuses the glob %s, which no IAM user name can match (root is named <root>, exactly)',
    (glob) => {
      expect(parseOwnersFile(yaml(`- users: ['${glob}']`, '  owners: "@a"'), FILE)).toEqual({
        ok: false,
        errors: [`${FILE} line 1: "users": ${JSON.stringify(glob)} can never match an IAM user name (letters, digits and + = , . @ _ - only), nor <root>`]
      })
    }
  )

  it('takes globs made of IAM name characters and glob syntax', () => {
    const only = rulesOf(parseOwnersFile(yaml(`- users: ['svc-[a-z]*', 'deploy+{ci,cd}', 'a=b,c.d@e_f-?', 'x[!_ ]']`, '  owners: "@a"'), FILE))
    expect(only[0]!.users).toHaveLength(4)
  })

  it.each(['@/x', 'alice@', '@acme/', '@bad--login'])('refuses the owner %s in the file: meant as a login, team or address, it is none', (owner) => {
    expect(parseOwnersFile(yaml('- users: a', `  owners: ['${owner}']`), FILE)).toEqual({
      ok: false,
      errors: [`${FILE} line 2: "owners": ${JSON.stringify(owner)} is not a GitHub login (@name), team (@org/team) or e-mail address`]
    })
  })

  it('does not give an IAM user to <root>', () => {
    const only = rulesOf(parseOwnersFile(yaml("- users: ['<root>']", '  owners: "@a"'), FILE))
    expect(ownersFor(key('<root>'), null, only)).toEqual({ owners: [], source: null })
    expect(ruleMatches(only[0], key('root'))).toBe(false)
  })

  it('reads isRoot as policy.ts does', () => {
    const f = finding({ kind: 'root-key', userName: '<root_account>', userArn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: null })
    expect(ownersFor({ accountId: f.accountId, userName: f.userName, isRoot: isRootFinding(f) }, null, rules).owners).toEqual([login('@cto')])
  })

  it('prefers the owner tag when it names anyone', () => {
    expect(ownersFor(key('svc-deploy'), [login('@alice')], rules)).toEqual({ owners: [login('@alice')], source: 'tag' })
    expect(ownersFor(key('svc-deploy'), [name('alice')], rules)).toEqual({ owners: [name('alice')], source: 'tag' })
  })

  it('falls back to the file when the tag names no one', () => {
    expect(ownersFor(key('svc-billing'), [], rules)).toEqual({ owners: [name('Team Billing')], source: 'file' })
  })

  it('never gives the root user tag owners', () => {
    expect(ownersFor(root(), [login('@mallory')], rules)).toEqual({ owners: [login('@cto')], source: 'file' })
    expect(ownersFor(root(OTHER_ACCOUNT), [login('@mallory')], rules)).toEqual({ owners: [], source: null })
  })

  it('gives no owner with no tag and no rules', () => {
    expect(ownersFor(key('alice'), null, [])).toEqual({ owners: [], source: null })
  })

  it(`gives at most ${MAX_OWNERS} owners`, () => {
    const many = Array.from({ length: 30 }, (_, i) => login(`@u${i}`))
    expect(ownersFor(key('alice'), many, [])).toEqual({ owners: many.slice(0, MAX_OWNERS), source: 'tag' })
    expect(ownersFor(key('alice'), null, [{ users: ['*'], accounts: null, owners: many, line: 1 }]).owners).toHaveLength(MAX_OWNERS)
  })

  it('matches dotted and unusual IAM names with *', () => {
    const only = rulesOf(parseOwnersFile(yaml('- users: "*"', '  owners: "@a"'), FILE))
    for (const user of ['.hidden', 'build.bot@example.com', 'a+b=c,d']) expect(ownersFor(key(user), null, only).source).toBe('file')
  })
})

describe('parseOwner: the stored text reads as the same kind again', () => {
  it.each(['@al\u200bice', 'Team\u200b Billing', ' @acme/plat\u2060form ', 'x'.repeat(300), 'A@B.EXAMPLE.COM', '@/x'])('%j', (text) => {
    const owner = parseOwner(text)
    expect(parseOwner(owner.value)).toEqual(owner)
  })

  it('takes out invisible characters before it tells the kind', () => {
    expect(parseOwner('@al\u200bice')).toEqual({ kind: 'login', value: '@alice' })
    expect(parseOwner(`${'a'.repeat(60)}@${'d'.repeat(60)}.example.com`).kind).toBe('email')
  })
})
