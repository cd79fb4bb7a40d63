import { parse } from 'csv-parse/sync'
import type { KeyRecord } from '../model.js'

/** The user name AWS gives the root user's row. */
export const ROOT_ROW = '<root_account>'

export interface ReportUser {
  userName: string
  userArn: string
  isRoot: boolean
  /** The keys the row describes; at most two, without ids (the report has none). */
  keys: KeyRecord[]
}

const REQUIRED_COLUMNS = ['user', 'arn', 'access_key_1_active', 'access_key_1_last_rotated']

/** `N/A`, `not_supported`, `no_information` and empty cells carry no date. */
export function parseReportDate(value: string | undefined): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

function usable(value: string | undefined): string | null {
  if (!value || value === 'N/A' || value === 'not_supported' || value === 'no_information') return null
  return value
}

/** Parse the CSV of GetCredentialReport into one entry per row, root included. */
export function parseCredentialReport(csv: string): ReportUser[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]
  if (rows.length > 0) {
    const missing = REQUIRED_COLUMNS.filter((c) => !(c in rows[0]))
    if (missing.length) throw new Error(`credential report lacks the columns ${missing.join(', ')}`)
  }
  return rows.map((row) => {
    const isRoot = row.user === ROOT_ROW
    const keys: KeyRecord[] = []
    for (const n of [1, 2]) {
      const createdAt = parseReportDate(row[`access_key_${n}_last_rotated`])
      if (!createdAt) continue // no key in this slot
      keys.push({
        userName: row.user,
        userArn: row.arn,
        accessKeyId: null,
        status: row[`access_key_${n}_active`] === 'true' ? 'Active' : 'Inactive',
        createdAt,
        lastUsedAt: parseReportDate(row[`access_key_${n}_last_used_date`]),
        lastUsedService: usable(row[`access_key_${n}_last_used_service`]),
        isRoot
      })
    }
    return { userName: row.user, userArn: row.arn, isRoot, keys }
  })
}
