// Schema 2 reports for the render tests: scans compared with a baseline, their findings marked
// new or not, first seen and overdue, and the keys resolved since. Built by the real buildReport.
import type { ResolvedKey } from '../../../src/core/lifecycle.js'
import type { AccountFailure, AccountScan, BaselineSource, Finding } from '../../../src/core/model.js'
import { buildReport, type Report } from '../../../src/core/report.js'
import { ACCOUNT, DEFAULT_POLICY, NOW, accountScan, finding } from '../helpers.js'

/** The scan's day (NOW). */
export const TODAY = '2026-11-24'

/** A finding new since the last run: first seen today, overdue days set for a stale key. */
export function newFinding(overrides: Partial<Finding> = {}): Finding {
  const f = finding(overrides)
  return {
    ...f,
    firstSeenAt: TODAY,
    new: true,
    overdueDays: f.kind === 'stale' ? f.ageDays - DEFAULT_POLICY.maxKeyAgeDays : null,
    ...overrides
  }
}

/** A finding the baseline had: first seen on `firstSeenAt`, not new. */
export function knownFinding(overrides: Partial<Finding> = {}): Finding {
  return newFinding({ firstSeenAt: '2026-10-01', new: false, ...overrides })
}

export function resolvedKey(overrides: Partial<ResolvedKey> = {}): ResolvedKey {
  return {
    accountId: ACCOUNT,
    userName: 'carol',
    accessKeyId: 'AKIACCCCCCCCCCCC0007',
    createdAt: '2026-01-01T00:00:00Z',
    kind: 'stale',
    firstSeenAt: '2026-09-01',
    resolvedAt: TODAY,
    daysOpen: 84,
    how: 'rotated',
    ...overrides
  }
}

/**
 * An account scan compared with its baseline (`baseline` null: it had none, so nothing is new or
 * resolved). Its resolved keys take the scan's account id.
 */
export function trackedScan(
  options: Partial<AccountScan> & { baseline?: BaselineSource | null; resolved?: ResolvedKey[] } = {}
): AccountScan {
  const { baseline = 'tracking-issue', resolved = [], ...overrides } = options
  const scan = accountScan(overrides)
  return {
    ...scan,
    lifecycle: {
      baseline,
      resolved: baseline === null ? null : resolved.map((r) => ({ ...r, accountId: scan.accountId })),
      next: { accountId: scan.accountId, keys: [] }
    }
  }
}

export function trackedReport(scans: AccountScan[], options: { failures?: AccountFailure[]; notes?: string[] } = {}): Report {
  return buildReport({ generatedAt: NOW, policy: DEFAULT_POLICY, scans, failures: options.failures, notes: options.notes })
}
