import { describe, expect, it } from '@jest/globals'
import { ROOT_ROW, iamUserCount, parseCredentialReport, parseCredentialReportDate } from '../../../src/aws/credential-report-csv.js'
import { CREDENTIAL_REPORT_HEADER } from '../helpers.js'


// Rows as GetCredentialReport returns them (22 columns, ISO dates with +00:00).
const ROWS = [
  // Root: no password rotation data, one active key used yesterday from s3.
  '<root_account>,arn:aws:iam::123456789012:root,2019-03-01T10:00:00+00:00,not_supported,2026-11-20T08:15:02+00:00,not_supported,not_supported,true,true,2020-01-15T09:30:00+00:00,2026-11-23T14:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // Console-only user: no keys; password last used before AWS tracked it.
  'console-carol,arn:aws:iam::123456789012:user/console-carol,2014-06-01T12:00:00+00:00,true,no_information,2024-01-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // One active key, used by iam in eu-west-1.
  'old-alice,arn:aws:iam::123456789012:user/old-alice,2026-05-01T08:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-05-01T08:05:33+00:00,2026-11-22T17:45:00+00:00,eu-west-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // One active key, never used.
  'ci-bot,arn:aws:iam::123456789012:user/automation/ci-bot,2026-09-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-09-01T00:00:10+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // Two keys: the first inactive (used long ago), the second active with no_information for its last use.
  'two-keys-dave,arn:aws:iam::123456789012:user/two-keys-dave,2015-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,2015-02-02T02:02:02+00:00,2016-03-03T03:03:03+00:00,us-west-2,ec2,true,2026-10-10T10:10:10+00:00,no_information,not_supported,not_supported,false,N/A,false,N/A',
  // Key 1 deleted, key 2 present and inactive, with no_information for its last use.
  'slot-two-erin,arn:aws:iam::123456789012:user/slot-two-erin,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,2025-02-01T00:00:00+00:00,no_information,no_information,no_information,false,N/A,false,N/A'
]

const CSV = `${CREDENTIAL_REPORT_HEADER}\n${ROWS.join('\n')}\n`

describe('parseCredentialReport', () => {
  const users = parseCredentialReport(CSV)
  const byName = (name: string) => {
    const user = users.find((u) => u.userName === name)
    if (!user) throw new Error(`no row for ${name}`)
    return user
  }

  it('returns one entry per row, in order, root included', () => {
    expect(CREDENTIAL_REPORT_HEADER.split(',')).toHaveLength(22)
    expect(users.map((u) => u.userName)).toEqual([
      '<root_account>',
      'console-carol',
      'old-alice',
      'ci-bot',
      'two-keys-dave',
      'slot-two-erin'
    ])
    expect(users.map((u) => u.keys.length)).toEqual([1, 0, 1, 1, 2, 1])
  })

  it('marks the <root_account> row and its keys as root, with no key id', () => {
    const root = byName(ROOT_ROW)
    expect(root.isRoot).toBe(true)
    expect(root.userArn).toBe('arn:aws:iam::123456789012:root')
    expect(root.keys).toEqual([
      {
        userName: '<root_account>',
        userArn: 'arn:aws:iam::123456789012:root',
        accessKeyId: null,
        status: 'Active',
        createdAt: new Date('2020-01-15T09:30:00Z'),
        lastUsedAt: new Date('2026-11-23T14:00:00Z'),
        lastUsedService: 's3',
        isRoot: true,
        // not_supported: the root user's password is not a console user's.
        passwordEnabled: null,
        userCreatedAt: new Date('2019-03-01T10:00:00Z')
      }
    ])
    expect(users.filter((u) => u.isRoot)).toHaveLength(1)
  })

  it('gives a user without keys an empty key list', () => {
    expect(byName('console-carol')).toEqual({
      userName: 'console-carol',
      userArn: 'arn:aws:iam::123456789012:user/console-carol',
      isRoot: false,
      keys: []
    })
  })

  it('reads an active key with its creation date, last-used date and service', () => {
    expect(byName('old-alice').keys).toEqual([
      {
        userName: 'old-alice',
        userArn: 'arn:aws:iam::123456789012:user/old-alice',
        accessKeyId: null,
        status: 'Active',
        createdAt: new Date('2026-05-01T08:05:33Z'),
        lastUsedAt: new Date('2026-11-22T17:45:00Z'),
        lastUsedService: 'iam',
        isRoot: false,
        passwordEnabled: false,
        userCreatedAt: new Date('2026-05-01T08:00:00Z')
      }
    ])
  })

  it('reads password_enabled and user_creation_time onto every key of the row (the setup-key rule)', () => {
    const csv = `${CREDENTIAL_REPORT_HEADER}\n${[
      'console-fay,arn:aws:iam::123456789012:user/console-fay,2026-11-01T09:00:00+00:00,true,N/A,N/A,N/A,false,true,2026-11-01T09:00:05+00:00,N/A,N/A,N/A,true,2026-11-20T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A',
      'odd-gus,arn:aws:iam::123456789012:user/odd-gus,no_information,maybe,N/A,N/A,N/A,false,true,2026-11-01T09:00:05+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A'
    ].join('\n')}\n`
    const [fay, gus] = parseCredentialReport(csv)
    expect(fay.keys.map((k) => [k.passwordEnabled, k.userCreatedAt])).toEqual([
      [true, new Date('2026-11-01T09:00:00Z')],
      [true, new Date('2026-11-01T09:00:00Z')]
    ])
    // Anything but true or false, and a cell that is not a date, is not known.
    expect(gus.keys.map((k) => [k.passwordEnabled, k.userCreatedAt])).toEqual([[null, null]])
    expect(byName('console-carol').keys).toEqual([])
  })

  it('reads N/A last use as never used', () => {
    const [key] = byName('ci-bot').keys
    expect(key.userArn).toBe('arn:aws:iam::123456789012:user/automation/ci-bot')
    expect(key.status).toBe('Active')
    expect(key.createdAt).toEqual(new Date('2026-09-01T00:00:10Z'))
    expect(key.lastUsedAt).toBeNull()
    expect(key.lastUsedService).toBeNull()
  })

  it('reads both key slots, an inactive key, and no_information / not_supported cells as no data', () => {
    const [first, second] = byName('two-keys-dave').keys
    expect(first).toMatchObject({
      status: 'Inactive',
      createdAt: new Date('2015-02-02T02:02:02Z'),
      lastUsedAt: new Date('2016-03-03T03:03:03Z'),
      lastUsedService: 'ec2'
    })
    expect(second).toMatchObject({
      status: 'Active',
      createdAt: new Date('2026-10-10T10:10:10Z'),
      lastUsedAt: null,
      lastUsedService: null
    })
  })

  it('reads a key in the second slot when the first slot is empty', () => {
    expect(byName('slot-two-erin').keys).toEqual([
      expect.objectContaining({
        status: 'Inactive',
        createdAt: new Date('2025-02-01T00:00:00Z'),
        lastUsedAt: null,
        lastUsedService: null
      })
    ])
  })

  it('tolerates CRLF line ends and quoted cells', () => {
    const csv = `${CREDENTIAL_REPORT_HEADER}\r\n"quoted-user","arn:aws:iam::123456789012:user/quoted-user",2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,"true","2026-01-02T00:00:00+00:00",N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\n`
    const [user] = parseCredentialReport(csv)
    expect(user.userName).toBe('quoted-user')
    expect(user.keys).toHaveLength(1)
    expect(user.keys[0]).toMatchObject({ status: 'Active', createdAt: new Date('2026-01-02T00:00:00Z') })
  })

  it('returns no entries for a report with only the header', () => {
    expect(parseCredentialReport(`${CREDENTIAL_REPORT_HEADER}\n`)).toEqual([])
  })

  it('throws, naming the columns, when required columns are missing', () => {
    const csv = 'user,arn,user_creation_time\nalice,arn:aws:iam::123456789012:user/alice,2026-01-01T00:00:00+00:00\n'
    expect(() => parseCredentialReport(csv)).toThrow(
      'credential report lacks the columns access_key_1_active, access_key_1_last_rotated'
    )
  })

  it('throws when only the key creation column is missing', () => {
    const header = CREDENTIAL_REPORT_HEADER.replace(',access_key_1_last_rotated', '')
    const row = ROWS[2].replace(',2026-05-01T08:05:33+00:00', '')
    expect(() => parseCredentialReport(`${header}\n${row}\n`)).toThrow(
      'credential report lacks the columns access_key_1_last_rotated'
    )
  })
})

describe('iamUserCount', () => {
  it('counts every row but the root user\'s', () => {
    expect(iamUserCount(parseCredentialReport(CSV))).toBe(5)
    expect(iamUserCount([])).toBe(0)
  })
})

describe('parseCredentialReportDate', () => {
  it('parses AWS ISO dates', () => {
    expect(parseCredentialReportDate('2026-11-24T12:00:00+00:00')).toEqual(new Date('2026-11-24T12:00:00Z'))
    expect(parseCredentialReportDate('2026-11-24T12:00:00Z')).toEqual(new Date('2026-11-24T12:00:00Z'))
  })

  it('returns null for cells without a date', () => {
    for (const cell of ['N/A', 'not_supported', 'no_information', '', undefined, 'true', '2026-13-45T99:99:99+00:00']) {
      expect(parseCredentialReportDate(cell)).toBeNull()
    }
  })
})

// IAM user names and paths may hold commas; moto writes them unquoted, AWS may quote them.
describe('parseCredentialReport: commas in a user name or path', () => {
  // old-alice's row (one active key, used by iam) under another name and ARN, written as is.
  const renamed = (name: string, arn: string) =>
    ROWS[2].replace('old-alice,arn:aws:iam::123456789012:user/old-alice', `${name},${arn}`)
  const parseOne = (row: string) => {
    const users = parseCredentialReport(`${CREDENTIAL_REPORT_HEADER}\n${ROWS[1]}\n${row}\n${ROWS[3]}\n`)
    expect(users.map((u) => u.userName)).toEqual(['console-carol', expect.any(String), 'ci-bot'])
    return users[1]
  }
  const aliceKey = {
    status: 'Active',
    createdAt: new Date('2026-05-01T08:05:33Z'),
    lastUsedAt: new Date('2026-11-22T17:45:00Z'),
    lastUsedService: 'iam'
  }

  it.each([
    ['one comma', 'deploy,ci', 'arn:aws:iam::123456789012:user/deploy,ci'],
    ['several commas', 'a,b,,c', 'arn:aws:iam::123456789012:user/a,b,,c'],
    ['a comma in the path only', 'deploy', 'arn:aws:iam::123456789012:user/team,ops/deploy'],
    ['commas in the path and the name', 'deploy,ci', 'arn:aws:iam::123456789012:user/x,y,z/deploy,ci']
  ])('reads back an unquoted row with %s', (_, name, arn) => {
    const user = parseOne(renamed(name, arn))
    expect(user).toMatchObject({ userName: name, userArn: arn, isRoot: false })
    expect(user.keys).toEqual([expect.objectContaining({ ...aliceKey, userName: name, userArn: arn })])
  })

  it('reads the same row quoted', () => {
    const user = parseOne(renamed('"deploy,ci"', '"arn:aws:iam::123456789012:user/deploy,ci"'))
    expect(user).toMatchObject({ userName: 'deploy,ci', userArn: 'arn:aws:iam::123456789012:user/deploy,ci' })
    expect(user.keys).toEqual([expect.objectContaining(aliceKey)])
  })

  it('splits name and ARN evenly when the ARN does not end in the name', () => {
    const user = parseOne(renamed('deploy,ci', 'arn:aws:iam::123456789012:user/other,name'))
    expect(user).toMatchObject({ userName: 'deploy,ci', userArn: 'arn:aws:iam::123456789012:user/other,name' })
    expect(user.keys).toEqual([expect.objectContaining(aliceKey)])
  })

  it('throws, naming the line, for a row that cannot be read back', () => {
    // One comma too many, and no split gives an ARN ending in the name.
    const odd = renamed('deploy,ci', 'arn:aws:iam::123456789012:user/other')
    expect(() => parseCredentialReport(`${CREDENTIAL_REPORT_HEADER}\n${ROWS[1]}\n${odd}\n`)).toThrow(
      'credential report line 3 has 23 fields where the header has 22, and cannot be read'
    )
    const short = ROWS[2].replace(',false,N/A,false,N/A', '')
    expect(() => parseCredentialReport(`${CREDENTIAL_REPORT_HEADER}\n${short}\n`)).toThrow(
      'credential report line 2 has 18 fields where the header has 22, and cannot be read'
    )
  })
})
