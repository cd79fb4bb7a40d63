import type { Baseline, InventoryKey, ResolvedKey } from './lifecycle.js'

// Shared types of the scan core. Nothing here knows about GitHub or @actions/core.

/** Finding kinds, most severe first: the order the summary, SNS text and issue use. */
export const FINDING_KINDS = ['root-key', 'stale', 'unused', 'setup-key', 'two-active-keys', 'expiring', 'inactive'] as const
export type FindingKind = (typeof FINDING_KINDS)[number]

export type Severity = 'critical' | 'high' | 'medium' | 'low'

export const SEVERITY: Record<FindingKind, Severity> = {
  'root-key': 'critical',
  stale: 'high',
  unused: 'medium',
  'setup-key': 'medium',
  'two-active-keys': 'low',
  expiring: 'low',
  inactive: 'low'
}

export const DATA_SOURCES = ['auto', 'credential-report', 'api'] as const
export type DataSourceChoice = (typeof DATA_SOURCES)[number]
/** What a scan actually used. */
export type DataSource = Exclude<DataSourceChoice, 'auto'>

export interface Policy {
  maxKeyAgeDays: number
  warnKeyAgeDays: number | null
  maxUnusedDays: number | null
}

export type KeyStatus = 'Active' | 'Inactive'

/** One access key as the inventory saw it. */
export interface KeyRecord {
  userName: string
  userArn: string
  /** Null only where AWS gives no id: the root user's keys in the credential report. */
  accessKeyId: string | null
  status: KeyStatus
  createdAt: Date
  lastUsedAt: Date | null
  lastUsedService: string | null
  isRoot: boolean
  /**
   * The key's user has a console password (credential report `password_enabled`; the listing
   * path asks GetLoginProfile only for setup-key candidates). Null or absent: not known, and then
   * the key is never a setup-key.
   */
  passwordEnabled?: boolean | null
  /** When the key's user was created (credential report `user_creation_time`, ListUsers `CreateDate`); null or absent: not known. */
  userCreatedAt?: Date | null
}

export interface Inventory {
  dataSource: DataSource
  /** IAM users looked at (the root user is not counted). */
  users: number
  /** Every key looked at, active and inactive. */
  keys: KeyRecord[]
  /** Things a reader of the summary should know (fallbacks, report age). */
  notes: string[]
}

export interface Finding {
  accountId: string
  kind: FindingKind
  severity: Severity
  userName: string
  userArn: string
  accessKeyId: string | null
  status: KeyStatus
  createdAt: string
  ageDays: number
  lastUsedAt: string | null
  lastUsedService: string | null
  exempt: boolean
  /** Why it is exempt (`exempt-users svc-*`, `tag key-sentry:exempt until 2026-12-31`); null when not. */
  exemptReason: string | null
  /**
   * Schema 2: the compliance controls the finding fails (core/controls.ts): CIS AWS Foundations
   * v3 ids (`CIS 1.14`) and Security Hub control ids (`IAM.3`); empty for kinds no control names.
   * Absent on a v1 finding; the report always sets it.
   */
  controls?: string[]
  /**
   * Lifecycle (v2, set by core/lifecycle.ts diffAccount; absent on a v1 finding). The UTC day
   * (`YYYY-MM-DD`) the key was first seen with a counted finding: null without a baseline and
   * for exempt findings.
   */
  firstSeenAt?: string | null
  /** A counted finding whose key was not in the baseline; null without a baseline, false when exempt. */
  new?: boolean | null
  /** Stale keys: days past max-key-age-days (0 on the day it turns stale); null for other kinds. */
  overdueDays?: number | null
  /**
   * Owners (v2, core/owners.ts): who must rotate the key, from the user's owner tag, else the
   * owners file. Canonical text: `@login`, `@org/team`, `address@example.com`, or a plain name
   * (`core/owners.ts parseOwner` tells which). Empty: unowned. Absent on a v1 finding.
   */
  owners?: string[]
}

/**
 * Where an account's baseline came from (DESIGN.md, Lifecycle): its open tracking issue's
 * record, no open issue (an empty baseline: everything is new), or an earlier report file.
 */
export type BaselineSource = 'tracking-issue' | 'no-open-issue' | 'previous-report'

/** What the lifecycle diff found for one account (set on every account scanned to the end). */
export interface AccountLifecycle {
  /** Null: the account had no baseline, so nothing is new or resolved (counts null). */
  baseline: BaselineSource | null
  /** Baseline keys with no counted finding today; null without a baseline. */
  resolved: ResolvedKey[] | null
  /** The record to keep for the next run (in the tracking issue). */
  next: Baseline
}

/** One account scanned to the end. */
export interface AccountScan {
  accountId: string
  /** The organization's name for the account, when known. */
  name?: string | null
  dataSource: DataSource
  users: number
  keys: number
  findings: Finding[]
  notes: string[]
  /**
   * The notes that are mistakes to fix (a tag value that exempts nothing, exempt-users hiding
   * everyone, tags that could not be read): told in the log as warnings, grouped across accounts.
   */
  warnings?: string[]
  /**
   * Every key the scan saw (ids where it listed them): what the lifecycle diff looks resolved
   * keys up in, without another AWS call. Not part of the report.
   */
  inventory?: InventoryKey[]
  /** Set once the scan was compared with its baseline (core/lifecycle.ts). */
  lifecycle?: AccountLifecycle
}

/** An account that could not be scanned; accountId null when it was not even known (no credentials). */
export interface AccountFailure {
  accountId: string | null
  name?: string | null
  error: string
}

/** What a scan of one or many accounts gives: the scanned and the failed, never a mix of the two per account. */
export interface ScanResults {
  scans: AccountScan[]
  failures: AccountFailure[]
}

/** Where the scan core writes progress; the action passes @actions/core, a CLI the console. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

