// The compliance controls each finding kind fails (DESIGN.md, Findings): what `controls` on a
// finding holds, what the Security Hub sink puts in Compliance.RelatedRequirements, and the table
// the README shows. Pure.
import type { FindingKind, Policy } from './model.js'

/** One kind's controls in every numbering a reader may meet. */
export interface ControlRow {
  kind: FindingKind
  /** CIS AWS Foundations Benchmark v3.0.0 recommendation (the ids findings carry); null: none. */
  cisV3: string | null
  /** The same recommendation in CIS v5.0.0 (section 1) and v6.0.0 (section 2, IAM moved). */
  cisV5: string | null
  cisV6: string | null
  /** AWS Security Hub (CSPM) control ids. */
  securityHub: string[]
  /** Prowler's check id for the same rule; null: Prowler has none. */
  prowler: string | null
  /** Where this action's rule and the control's differ (thresholds, the 90-day boundary). */
  differs: string
}

/**
 * Kind -> controls, in FINDING_KINDS order. CIS ids from the CIS AWS Foundations Benchmark v3.0.0,
 * v5.0.0 and v6.0.0 (as Prowler's compliance mappings number them); Security Hub control ids from
 * its CIS and AWS Foundational Security Best Practices standards; Prowler check ids from its AWS
 * IAM checks.
 */
export const CONTROL_TABLE: readonly ControlRow[] = [
  {
    kind: 'root-key',
    cisV3: '1.4',
    cisV5: '1.3',
    cisV6: '2.3',
    securityHub: ['IAM.4'],
    prowler: 'iam_no_root_access_key',
    differs: 'Security Hub IAM.4 and CIS v5 fail any root access key, active or inactive; Prowler only an active one'
  },
  {
    kind: 'stale',
    cisV3: '1.14',
    cisV5: '1.13',
    cisV6: '2.13',
    securityHub: ['IAM.3'],
    prowler: 'iam_rotate_access_key_90_days',
    differs:
      'a key of exactly max-key-age-days (90) is stale here and in CIS v3; Security Hub IAM.3, CIS v5+ and Prowler pass it (max-key-age-days: 91 matches them)'
  },
  {
    kind: 'unused',
    cisV3: '1.12',
    cisV5: '1.11',
    cisV6: '2.11',
    securityHub: ['IAM.22', 'IAM.8'],
    prowler: 'iam_user_accesskey_unused',
    differs: 'off unless max-unused-days is set; CIS and IAM.22 use 45 days, IAM.8 90 days'
  },
  {
    kind: 'setup-key',
    cisV3: '1.11',
    cisV5: '1.10',
    cisV6: '2.10',
    securityHub: [],
    prowler: 'iam_user_no_setup_initial_access_key',
    differs:
      "only keys created within 24 hours of their user; CIS's audit shortcut and Prowler flag every never-used active key of a console user, whenever it was made"
  },
  {
    kind: 'two-active-keys',
    cisV3: '1.13',
    cisV5: '1.12',
    cisV6: '2.12',
    securityHub: [],
    prowler: 'iam_user_two_active_access_key',
    differs: 'one finding, on the older key, and only when that key has no more severe finding'
  },
  { kind: 'expiring', cisV3: null, cisV5: null, cisV6: null, securityHub: [], prowler: null, differs: 'an early reminder, no control' },
  { kind: 'inactive', cisV3: null, cisV5: null, cisV6: null, securityHub: [], prowler: null, differs: 'clean-up advice, no control' }
]

/** The benchmark and version the `CIS <id>` controls on findings are numbered by (CONTROL_TABLE's cisV3). */
export const CIS_BENCHMARK = 'CIS AWS Foundations Benchmark v3.0.0'

/** The prefix a CIS control carries on a finding: `CIS 1.14`. */
const CIS_PREFIX = 'CIS '

/**
 * The CIS recommendation id of a control (`1.14`), or null when it is no CIS control (`IAM.3`).
 * Reads both forms this action has written: the finding's `CIS 1.14` and Security Hub's
 * requirement `CIS AWS Foundations Benchmark v3.0.0/1.14` (a finding imported earlier), whatever
 * the case and spacing; an id that is not a dotted number is not taken for one.
 */
export function cisRecommendation(control: string): string | null {
  const value = control.trim()
  const benchmark = `${CIS_BENCHMARK}/`
  const id = value.toLowerCase().startsWith(benchmark.toLowerCase())
    ? value.slice(benchmark.length)
    : /^cis\s+/i.test(value)
      ? value.replace(/^cis\s+/i, '')
      : null
  return id !== null && /^\d+(\.\d+)+$/.test(id.trim()) ? id.trim() : null
}

/**
 * A control as a Security Hub compliance requirement: a CIS control names its benchmark and
 * version, as Security Hub's own CIS findings do (`CIS AWS Foundations Benchmark v3.0.0/1.14`);
 * a Security Hub control id (`IAM.3`) stays as it is.
 */
export function requirementOf(control: string): string {
  const cis = cisRecommendation(control)
  return cis === null ? control : `${CIS_BENCHMARK}/${cis}`
}

/** Security Hub IAM.8 checks credentials unused for 90 days. */
const IAM_8_DAYS = 90

/**
 * The controls a finding of `kind` fails under `policy`: `CIS <v3 id>` first, then the Security
 * Hub control ids.
 *
 * A kind names the controls whose rule it implements, whatever threshold the policy sets (a stale
 * finding at max-key-age-days 60 still carries CIS 1.14 and IAM.3): the thresholds are the
 * user's choice, and the README says where they differ. One exception: IAM.8 (credentials unused
 * for 90 days) is added to an unused finding only when max-unused-days >= 90, since only then is
 * every unused key idle long enough to fail it; IAM.22 (45 days) is the control the unused rule
 * mirrors, so it is always there. The controls depend only on the kind and the policy, so every
 * finding of one kind in a report carries the same list.
 */
export function controlsFor(kind: FindingKind, policy: Pick<Policy, 'maxUnusedDays'>): string[] {
  const row = CONTROL_TABLE.find((r) => r.kind === kind)
  if (!row) return []
  const securityHub = row.securityHub.filter((id) => id !== 'IAM.8' || (policy.maxUnusedDays ?? 0) >= IAM_8_DAYS)
  return [...(row.cisV3 ? [`${CIS_PREFIX}${row.cisV3}`] : []), ...securityHub]
}
