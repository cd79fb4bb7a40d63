// Builders shared by the unit tests: findings and reports for the pure modules (policy,
// report, render); the fixed clock; AWS errors and credential report CSV for the AWS ones; loggers; a local server's URL.
import type { Server } from 'node:http'
import { IAMServiceException } from '@aws-sdk/client-iam'
import { jest } from '@jest/globals'
import {
  FINDING_KINDS,
  SEVERITY,
  type AccountFailure,
  type AccountScan,
  type Finding,
  type FindingKind,
  type KeyRecord,
  type Logger,
  type Policy
} from '../../src/core/model.js'
import { buildReport, type Report } from '../../src/core/report.js'

export const ACCOUNT = '123456789012'
export const OTHER_ACCOUNT = '210987654321'
/** The scan's clock in most tests. */
export const NOW = new Date('2026-11-24T12:00:00Z')
export const DEFAULT_POLICY: Policy = { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null }

const DAY_MS = 86_400_000

/** `days` whole days before `from` (same time of day). */
export function daysAgo(days: number, from: Date = NOW): Date {
  return new Date(from.getTime() - days * DAY_MS)
}

/** A 20-character access key id, unique per `n`, ending in the given last four characters when set. */
export function keyId(n: number, last4?: string): string {
  const body = `AKIA${n.toString(36).toUpperCase().padStart(16, '0')}`
  return last4 ? `${body.slice(0, 16)}${last4}` : body
}

export function keyRecord(overrides: Partial<KeyRecord> = {}): KeyRecord {
  const userName = overrides.userName ?? 'alice'
  return {
    userName,
    userArn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    status: 'Active',
    createdAt: daysAgo(10),
    lastUsedAt: null,
    lastUsedService: null,
    isRoot: false,
    ...overrides
  }
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  const kind: FindingKind = overrides.kind ?? 'stale'
  const userName = overrides.userName ?? 'alice'
  const accountId = overrides.accountId ?? ACCOUNT
  return {
    accountId,
    kind,
    severity: SEVERITY[kind],
    userName,
    userArn: `arn:aws:iam::${accountId}:user/${userName}`,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    status: kind === 'inactive' ? 'Inactive' : 'Active',
    createdAt: '2026-05-01T00:00:00Z',
    ageDays: 207,
    lastUsedAt: null,
    lastUsedService: null,
    exempt: false,
    exemptReason: overrides.exempt ? 'exempt-users svc-*' : null,
    ...overrides
  }
}

/**
 * `n` findings of mixed kinds, deliberately not in severity order: every 50th is a root key,
 * every 7th stale, every 5th unused, every 3rd expiring, the rest inactive.
 */
export function manyFindings(n: number, accountId: string = ACCOUNT): Finding[] {
  const out: Finding[] = []
  for (let i = 0; i < n; i++) {
    const kind: FindingKind =
      i % 50 === 49 ? 'root-key' : i % 7 === 3 ? 'stale' : i % 5 === 1 ? 'unused' : i % 3 === 2 ? 'expiring' : 'inactive'
    out.push(
      finding({
        accountId,
        kind,
        userName: kind === 'root-key' ? '<root_account>' : `user-${String(i).padStart(5, '0')}`,
        accessKeyId: kind === 'root-key' ? null : keyId(i),
        ageDays: 90 + (i % 400),
        createdAt: '2025-06-01T08:30:00Z',
        lastUsedAt: i % 2 ? '2026-10-01T10:00:00Z' : null,
        lastUsedService: i % 4 === 1 ? 'iam' : null
      })
    )
  }
  return out
}

/** Severity rank of a kind: 0 is the most severe. */
export function rank(kind: FindingKind): number {
  return FINDING_KINDS.indexOf(kind)
}

export function accountScan(overrides: Partial<AccountScan> = {}): AccountScan {
  return {
    accountId: ACCOUNT,
    dataSource: 'credential-report',
    users: 12,
    keys: 14,
    findings: [],
    notes: [],
    ...overrides
  }
}

/** A report of one scanned account (unless `scans` is given), built by the real buildReport. */
export function makeReport(
  options: {
    findings?: Finding[]
    scans?: AccountScan[]
    failures?: AccountFailure[]
    policy?: Policy
    users?: number
    keys?: number
  } = {}
): Report {
  const scans = options.scans ?? [
    accountScan({ findings: options.findings ?? [], users: options.users ?? 12, keys: options.keys ?? 14 })
  ]
  return buildReport({
    generatedAt: NOW,
    policy: options.policy ?? DEFAULT_POLICY,
    scans,
    failures: options.failures
  })
}

export const TABLE_HEADER = '| Kind | User | Access key | Status | Age (days) | Overdue (days) | First seen | Last used |'
/** The findings table's header where some finding has an owner. */
export const OWNER_TABLE_HEADER = '| Kind | User | Owner | Access key | Status | Age (days) | Overdue (days) | First seen | Last used |'

/** The header of a section of one kind in the job summary: no Kind column, the heading names it. */
export const SECTION_TABLE_HEADER = TABLE_HEADER.replace('| Kind ', '')
export const OWNER_SECTION_TABLE_HEADER = OWNER_TABLE_HEADER.replace('| Kind ', '')
const HEADERS = new Set([TABLE_HEADER, OWNER_TABLE_HEADER, SECTION_TABLE_HEADER, OWNER_SECTION_TABLE_HEADER])

/** Data rows of every markdown findings table in `markdown` (headers and separators left out). */
export function tableRows(markdown: string): string[] {
  return markdown.split('\n').filter((line) => line.startsWith('| ') && !HEADERS.has(line))
}

/** An IAM service error as the SDK throws it (403 client fault unless told). */
export function awsError(name: string, message: string, status = 403, fault: 'client' | 'server' = 'client'): IAMServiceException {
  return new IAMServiceException({ name, message, $fault: fault, $metadata: { httpStatusCode: status } })
}

/** The 22 columns of GetCredentialReport, in AWS's order. */
export const CREDENTIAL_REPORT_HEADER = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated'
].join(',')

/** The credential report's date format: `2026-11-24T12:00:00+00:00`. */
export const credentialReportDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00')

/** One access key of a credential report row; a date as a string is written as it is. */
export interface CredentialReportKey {
  active: boolean
  created: Date | string
  lastUsed?: Date | string
  service?: string
}

const reportCell = (d: Date | string) => (typeof d === 'string' ? d : credentialReportDate(d))

function keyCells(k: CredentialReportKey | undefined): string[] {
  if (!k) return ['false', 'N/A', 'N/A', 'N/A', 'N/A']
  return [
    String(k.active),
    reportCell(k.created),
    k.lastUsed ? reportCell(k.lastUsed) : 'N/A',
    k.lastUsed ? 'us-east-1' : 'N/A',
    k.service ?? 'N/A'
  ]
}

/**
 * One 22-column credential report row of `user` (`<root_account>`: the root user's row), with
 * up to two keys; its ARN in `account` unless given. A name with a line break or quote is
 * quoted, as AWS does.
 */
export function credentialReportRow(
  user: string,
  keys: CredentialReportKey[] = [],
  { account = ACCOUNT, arn }: { account?: string; arn?: string } = {}
): string {
  const root = user === '<root_account>'
  return [
    /[\r\n"]/.test(user) ? `"${user.replace(/"/g, '""')}"` : user,
    arn ?? (root ? `arn:aws:iam::${account}:root` : `arn:aws:iam::${account}:user/${user}`),
    '2020-01-01T00:00:00+00:00',
    root ? 'not_supported' : 'false',
    'N/A',
    'N/A',
    'N/A',
    'false',
    ...keyCells(keys[0]),
    ...keyCells(keys[1]),
    'false',
    'N/A',
    'false',
    'N/A'
  ].join(',')
}

/** A credential report as GetCredentialReport's Content decodes: the header, the rows, a final line break. */
export function credentialReportCsv(...rows: string[]): string {
  return `${[CREDENTIAL_REPORT_HEADER, ...rows].join('\n')}\n`
}

/** A logger that keeps every line as `level message`, in order. */
export function recording() {
  const lines: string[] = []
  const log: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warning: (m) => lines.push(`warning ${m}`),
    debug: (m) => lines.push(`debug ${m}`)
  }
  return { lines, log }
}

/** A logger of mocks, for tests that look at the calls of one level. */
export function fakeLog() {
  return { info: jest.fn<Logger['info']>(), warning: jest.fn<Logger['warning']>(), debug: jest.fn<Logger['debug']>() }
}

/** Starts `server` on a free port of 127.0.0.1 and gives its root, http://127.0.0.1:<port>. */
export async function listenLocally(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the server is not listening on a port')
  return `http://127.0.0.1:${address.port}`
}
