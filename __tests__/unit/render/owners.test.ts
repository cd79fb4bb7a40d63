import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../../src/core/model.js'
import {
  NO_OWNER,
  SUMMARY_MAX_OWNERS,
  anyOwned,
  findingOwners,
  groupByOwner,
  inertOwner,
  mentionOwner,
  ownedKeyText,
  ownerCell,
  ownerCounts,
  ownersLine,
  renderOwnersSection
} from '../../../src/render/owners.js'
import { parseOwner } from '../../../src/core/owners.js'
import { finding, keyId } from '../helpers.js'
import { activeParts, html, visibleText, withoutJoiner } from './hostile.js'

const KEY = 'AKIA1234567890ABWXYZ'
const bytes = (s: string) => Buffer.byteLength(s)
const owned = (userName: string, owners: string[], overrides: Partial<Finding> = {}) =>
  finding({ userName, owners, accessKeyId: keyId(userName.length * 31 + owners.length), ...overrides })
/** Task-list lines of a section. */
const tasks = (md: string) => md.split('\n').filter((l) => l.startsWith('- [ ] '))

describe('findingOwners', () => {
  it('gives each owner its kind, from the canonical text', () => {
    expect(findingOwners(finding({ owners: ['@alice', '@acme/platform', 'ops@example.com', 'Team Billing'] }))).toEqual([
      { kind: 'login', value: '@alice' },
      { kind: 'team', value: '@acme/platform' },
      { kind: 'email', value: 'ops@example.com' },
      { kind: 'name', value: 'Team Billing' }
    ])
  })

  it('is empty for an unowned finding and a v1 finding without the field', () => {
    expect(findingOwners(finding({ owners: [] }))).toEqual([])
    expect(findingOwners(finding())).toEqual([])
    expect(anyOwned([finding(), finding({ owners: [] })])).toBe(false)
    expect(anyOwned([finding(), finding({ owners: ['@alice'] })])).toBe(true)
  })

  it('lists an owner once however it is spelled, and drops empty text', () => {
    expect(findingOwners(finding({ owners: ['@Alice', '@alice', '', '  '] }))).toEqual([{ kind: 'login', value: '@Alice' }])
  })
})

describe('inertOwner and ownerCell', () => {
  it('puts logins, teams and addresses in code spans, and escapes a name', () => {
    expect(inertOwner(parseOwner('@alice'))).toBe('`@alice`')
    expect(inertOwner(parseOwner('@acme/platform'))).toBe('`@acme/platform`')
    expect(inertOwner(parseOwner('ops@example.com'))).toBe('`ops@example.com`')
    expect(inertOwner(parseOwner('Team <b>|x'))).toBe('Team \\<b\\>\\|x')
  })

  it('joins the owners of a finding, and shows — for none', () => {
    expect(ownerCell(finding({ owners: ['@alice', 'ops@example.com'] }))).toBe('`@alice`, `ops@example.com`')
    expect(ownerCell(finding({ owners: [] }))).toBe(NO_OWNER)
    expect(NO_OWNER).toBe('—')
  })

  it('never renders a mention, a link or HTML', () => {
    const cell = ownerCell(finding({ owners: ['@torvalds', '@acme/secops', 'user@example.com', '<img src=x>', '[x](y)', '@torvalds#1'] }))
    const rendered = html(cell)
    expect(activeParts(rendered).filter((p) => p !== '<code>')).toEqual([])
    expect(withoutJoiner(visibleText(rendered))).toBe('@torvalds, @acme/secops, user@example.com, <img src=x>, [x](y), @torvalds#1\n')
  })
})

describe('mentionOwner', () => {
  it('mentions logins and teams as they are', () => {
    expect(mentionOwner(parseOwner('@alice'))).toBe('@alice')
    expect(mentionOwner(parseOwner('@acme/platform'))).toBe('@acme/platform')
    expect(activeParts(html(mentionOwner(parseOwner('@alice'))))).toEqual(['mention'])
  })

  it('escapes a team slug\'s _ so that two teams on a line make no emphasis', () => {
    // `._` can open emphasis (after punctuation) and `y_ ` close it: escaped, neither does.
    expect(parseOwner('@acme/x._y').kind).toBe('team')
    const line = `${mentionOwner(parseOwner('@acme/x._y'))} ${mentionOwner(parseOwner('@acme/z_'))}`
    expect(line).toBe('@acme/x.\\_y @acme/z\\_')
    expect(html(line)).not.toContain('<em>')
    expect(html('@acme/x._y @acme/z_')).toContain('<em>')
    expect(visibleText(html(line))).toBe('@acme/x._y @acme/z_\n')
  })

  it('shows an address as text, never a mention or a mailto link', () => {
    const text = mentionOwner(parseOwner('Alice@Example.com'))
    expect(text).toBe('alice\\@\u2060example.com')
    expect(activeParts(html(text))).toEqual([])
    expect(html(text)).not.toContain('mailto')
    expect(withoutJoiner(visibleText(html(text))).trim()).toBe('alice@example.com')
  })

  it('escapes a plain name like text from AWS', () => {
    for (const name of ['<img src=x onerror=alert(1)>', '[x](https://evil)', '::error::boom', 'Team @torvalds', '**bold** _em_']) {
      const text = mentionOwner(parseOwner(name))
      expect(activeParts(html(text))).toEqual([])
      expect(withoutJoiner(visibleText(html(text))).trim()).toBe(name)
    }
  })
})

describe('ownerCounts and ownersLine', () => {
  const findings = [
    owned('a1', ['@alice']),
    owned('a2', ['@alice', 'ops@example.com']),
    owned('a3', ['@Alice']),
    owned('p1', ['@acme/platform']),
    owned('p2', ['@acme/platform']),
    owned('z1', ['zed@example.com']),
    owned('e1', ['@alice'], { exempt: true }),
    owned('e2', ['@exempt-only'], { exempt: true }),
    owned('u1', []),
    finding({ userName: 'u2' })
  ]

  it('counts counted findings per owner, most first, then by name; exempt ones left out', () => {
    expect(ownerCounts(findings)).toEqual({
      owners: [
        { owner: { kind: 'login', value: '@alice' }, count: 3 },
        { owner: { kind: 'team', value: '@acme/platform' }, count: 2 },
        { owner: { kind: 'email', value: 'ops@example.com' }, count: 1 },
        { owner: { kind: 'email', value: 'zed@example.com' }, count: 1 }
      ],
      unowned: 2
    })
  })

  it('is one inert line, unowned last', () => {
    const line = ownersLine(findings)
    expect(line).toBe('Owners: `@alice` 3 · `@acme/platform` 2 · `ops@example.com` 1 · `zed@example.com` 1 · unowned 2.')
    expect(activeParts(html(line!)).filter((p) => p !== '<code>')).toEqual([])
  })

  it('is null when no counted finding has an owner', () => {
    expect(ownersLine([owned('u', []), owned('e', ['@alice'], { exempt: true })])).toBeNull()
    expect(ownersLine([])).toBeNull()
  })

  it('leaves out "unowned" when every counted finding has an owner', () => {
    expect(ownersLine([owned('a', ['@alice'])])).toBe('Owners: `@alice` 1.')
  })

  it(`names at most ${SUMMARY_MAX_OWNERS} owners, then counts the rest`, () => {
    const many = Array.from({ length: 25 }, (_, i) => owned(`u${i}`, [`@user-${String(i).padStart(2, '0')}`]))
    const line = ownersLine([...many, owned('x', [])])!
    expect(line.match(/`@user-\d\d`/g)).toHaveLength(20)
    expect(line).toContain('`@user-19` 1 · … 5 more owners · unowned 1.')
    expect(ownersLine(many, 3)).toBe('Owners: `@user-00` 1 · `@user-01` 1 · `@user-02` 1 · … 22 more owners.')
    expect(ownersLine(many.slice(0, 21), 20)).toContain('… 1 more owner.')
  })

  it('groups by owner in the order of most keys, each key under each of its owners', () => {
    const groups = groupByOwner(findings.filter((f) => !f.exempt))
    expect(groups.map((g) => [g.owner.value, g.findings.map((f) => f.userName)])).toEqual([
      ['@alice', ['a1', 'a2', 'a3']],
      ['@acme/platform', ['p1', 'p2']],
      ['ops@example.com', ['a2']],
      ['zed@example.com', ['z1']]
    ])
  })
})

describe('ownedKeyText', () => {
  it('names the key (masked or not), the kind, the age and the user, escaped', () => {
    const f = finding({ userName: 'alice-cli', accessKeyId: KEY, ageDays: 212 })
    expect(ownedKeyText(f, true)).toBe('`AKIA…WXYZ`, stale, 212 days, user alice-cli')
    expect(ownedKeyText(f, false)).toBe(`\`${KEY}\`, stale, 212 days, user alice-cli`)
    expect(ownedKeyText(finding({ userName: '@torvalds', ageDays: 1 }), true)).toBe('`AKIA…MPLE`, stale, 1 day, user \\@\u2060torvalds')
    const root = finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null, ageDays: 3 })
    expect(ownedKeyText(root, true)).toBe('`(root key, no id)`, root-key, 3 days, user \\<root_account\\>')
  })
})

describe('renderOwnersSection', () => {
  const findings = [
    owned('alice-cli', ['@alice'], { accessKeyId: KEY, ageDays: 212 }),
    owned('svc-billing', ['@acme/platform', 'platform-oncall@example.com'], { accessKeyId: keyId(1), ageDays: 150 }),
    owned('svc-deploy', ['@acme/platform'], { accessKeyId: keyId(2), ageDays: 120 }),
    owned('bob', [], { accessKeyId: keyId(3), ageDays: 95 }),
    owned('idle', ['@alice'], { kind: 'unused', accessKeyId: keyId(4), ageDays: 40 }),
    owned('svc-ci', ['@alice'], { exempt: true, accessKeyId: keyId(5) })
  ]

  it('lists, per owner, a task per counted key, then the unowned ones', () => {
    const section = renderOwnersSection(findings, { maskKeyIds: true, maxBytes: 100_000 })
    expect(section).toEqual({
      markdown:
        '### Owners\n\n' +
        '- [ ] @acme/platform — `AKIA…0001`, stale, 150 days, user svc-billing\n' +
        '- [ ] @acme/platform — `AKIA…0002`, stale, 120 days, user svc-deploy\n\n' +
        '- [ ] @alice — `AKIA…WXYZ`, stale, 212 days, user alice-cli\n' +
        '- [ ] @alice — `AKIA…0004`, unused, 40 days, user idle\n\n' +
        '- [ ] platform-oncall\\@\u2060example.com — `AKIA…0001`, stale, 150 days, user svc-billing\n\n' +
        '**Unowned: 1**\n\n' +
        '- [ ] `AKIA…0003`, stale, 95 days, user bob\n\n',
      shown: 6,
      omitted: 0
    })
  })

  it('renders task lists that mention only the logins and teams', () => {
    const rendered = html(renderOwnersSection(findings, { maskKeyIds: true, maxBytes: 100_000 }).markdown)
    expect(rendered.match(/<li>/g)).toHaveLength(6)
    expect(rendered.match(/<input [^>]*type="checkbox"/g)).toHaveLength(6)
    const text = visibleText(rendered.replace(/<code>[\s\S]*?<\/code>/g, ' '))
    expect([...text.matchAll(/(?<![\w\u2060])@[\w/-]+/g)].map((m) => m[0]).sort()).toEqual(
      ['@acme/platform', '@acme/platform', '@alice', '@alice'].sort()
    )
    expect(activeParts(rendered)).not.toContain('e-mail autolink')
    expect(rendered).not.toContain('mailto')
  })

  it('is empty when no counted finding has an owner', () => {
    expect(renderOwnersSection([owned('bob', []), owned('x', ['@alice'], { exempt: true })], { maskKeyIds: true, maxBytes: 100_000 })).toEqual({
      markdown: '',
      shown: 0,
      omitted: 0
    })
  })

  it('shows full key ids when masking is off', () => {
    expect(renderOwnersSection(findings, { maskKeyIds: false, maxBytes: 100_000 }).markdown).toContain(`- [ ] @alice — \`${KEY}\`, stale`)
  })

  it('takes the heading level it is given', () => {
    expect(renderOwnersSection(findings, { maskKeyIds: true, maxBytes: 100_000, headingLevel: 4 }).markdown.startsWith('#### Owners\n\n')).toBe(true)
  })

  describe('cut to its budget', () => {
    // 2,000 keys of 40 owners, a fifth of them with a second owner, every 7th unowned.
    const big = Array.from({ length: 2_000 }, (_, i) =>
      finding({
        userName: `ユーザー-${i}`,
        accessKeyId: keyId(i),
        ageDays: 100 + (i % 300),
        owners: i % 7 === 0 ? [] : i % 5 === 0 ? [`@owner-${i % 40}`, `team-${i % 3}@example.com`] : [`@owner-${i % 40}`]
      })
    )
    // A line per key and owner; one per unowned key.
    const lines = 2_000 + big.filter((f) => (f.owners ?? []).length === 2).length

    it.each([200, 1_000, 5_000, 20_000, 60_000])('stays within %i bytes and counts what it leaves out', (maxBytes) => {
      const section = renderOwnersSection(big, { maskKeyIds: true, maxBytes })
      expect(bytes(section.markdown)).toBeLessThanOrEqual(maxBytes)
      expect(bytes(section.markdown)).toBeGreaterThan(maxBytes - 400)
      expect(section.shown + section.omitted).toBe(lines)
      expect(tasks(section.markdown)).toHaveLength(section.shown)
      expect(section.omitted).toBeGreaterThan(0)
      expect(section.markdown.endsWith(`\n\n_…and ${section.omitted} more keys: the tables below and the JSON report list them all._\n\n`)).toBe(true)
      expect(section.markdown.startsWith('### Owners\n\n')).toBe(true)
    })

    it('is whole when it fits exactly', () => {
      const whole = renderOwnersSection(big, { maskKeyIds: true, maxBytes: Infinity })
      expect(whole.omitted).toBe(0)
      expect(renderOwnersSection(big, { maskKeyIds: true, maxBytes: bytes(whole.markdown) })).toEqual(whole)
      expect(renderOwnersSection(big, { maskKeyIds: true, maxBytes: bytes(whole.markdown) - 1 }).omitted).toBeGreaterThan(0)
    })

    it('is empty when not even its heading and the count fit', () => {
      expect(renderOwnersSection(big, { maskKeyIds: true, maxBytes: 50 })).toEqual({ markdown: '', shown: 0, omitted: lines })
      expect(renderOwnersSection(big, { maskKeyIds: true, maxBytes: 0 }).markdown).toBe('')
    })

    it('keeps the lists well formed when cut', () => {
      for (const maxBytes of [300, 3_000, 30_000]) {
        const section = renderOwnersSection(big, { maskKeyIds: true, maxBytes })
        expect(section.markdown).not.toMatch(/\n\n\n/)
        const more = section.markdown.split('\n').filter((l) => l.startsWith('- …and ')).length
        expect(html(section.markdown).match(/<li>/g)).toHaveLength(section.shown + more)
      }
    })

    it('gives every owner a share: each list cut to about the same length, and counting the rest', () => {
      const groups = groupByOwner(big)
      const section = renderOwnersSection(big, { maskKeyIds: true, maxBytes: 20_000 })
      const lists = section.markdown.split('\n\n').filter((p) => p.startsWith('- '))
      // 3 addresses (with the most keys), 40 logins, and the unowned.
      expect(groups.map((g) => g.owner.kind)).toEqual([...Array(3).fill('email'), ...Array(40).fill('login')])
      expect(lists).toHaveLength(groups.length + 1)
      const counts = lists.map((l) => l.split('\n').filter((line) => line.startsWith('- [ ] ')).length)
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
      expect(Math.min(...counts)).toBeGreaterThan(1)
      groups.forEach((g, i) => {
        const list = lists[i].split('\n')
        expect(list[0].startsWith(`- [ ] ${mentionOwner(g.owner)} — `)).toBe(true)
        const more = Number(/^- …and (\d+) more keys?$/.exec(list[list.length - 1])![1])
        expect(counts[i] + more).toBe(g.findings.length)
      })
      const unowned = big.filter((f) => (f.owners ?? []).length === 0).length
      expect(section.markdown).toContain(`**Unowned: ${unowned}**\n\n- [ ] `)
    })
  })
})
