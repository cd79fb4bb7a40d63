// The --help text. Flag names and defaults are the action's inputs (action.yml), kept in step by hand.
export const HELP = `Usage: iam-key-sentry scan [flags]

Find stale, unused and dangerous AWS IAM access keys, with the same policy as the
IAM Key Sentry GitHub Action. Reads AWS with the default credential chain (environment,
--profile, SSO, instance role), or a credential report file with no AWS access at all.

Policy (the action's inputs):
  --max-key-age-days N     an active key this many days old or older is stale (default 90)
  --warn-key-age-days N    active keys from N days up to the max are expiring (default off)
  --max-unused-days N      active keys not used for N days are unused (default off; CIS uses 45)
  --exempt-users LIST      user names or globs (svc-*), comma-separated or repeated;
                           their findings are listed, not counted
  --exempt-tag KEY         IAM user tag whose value true, or a date YYYY-MM-DD, exempts
                           (default key-sentry:exempt; none turns tag exemptions off)
  --fail-on KINDS          kinds that make the exit code 1: root-key, stale, unused, expiring,
                           inactive, comma-separated, or none (default stale,root-key)
  --mask-key-ids BOOL      show key ids as AKIA…WXYZ (default true); --json has full ids

AWS:
  --profile NAME           AWS profile to use (sets AWS_PROFILE)
  --aws-region REGION      region for STS (default us-east-1; IAM is global); also --region
  --data-source SOURCE     auto (credential report, listing if it fails), credential-report, or api
  --accounts LIST          more accounts: 12-digit ids, or organization (default: the caller's own)
  --member-role-name NAME  role assumed in each listed account (default IAMKeySentryAudit)
  --max-concurrency N      accounts scanned at once, 1 to 32 (default 8)

Offline:
  --credential-report FILE analyse a saved credential report, with no AWS call: the CSV, or the
                           JSON printed by \`aws iam get-credential-report\` (- reads standard input).
                           Key ids and user tags are not in the report: ids show as (not in report),
                           and only --exempt-users exempts.

Output:
  --json                   print the JSON report (the action's report file) to standard output
  -h, --help               this text

Progress goes to standard error. Colour only on a terminal, and not when NO_COLOR is set.
The action's SNS, tracking-issue and OIDC inputs are not offered: the CLI only reads.

Exit codes: 0 no findings of the --fail-on kinds; 1 findings of those kinds;
            2 bad flags, or a scan that did not complete.

Examples:
  iam-key-sentry scan --profile audit --max-unused-days 45
  aws iam generate-credential-report            # again until "State": "COMPLETE"
  aws iam get-credential-report > report.json
  iam-key-sentry scan --credential-report report.json --exempt-users 'svc-*'
`
