import { parse, type Options } from 'csv-parse/sync'
import type { KeyRecord } from '../core/model.js'
import { cut } from '../render/text.js'

/** The user name AWS gives the root user's row. */
export const ROOT_ROW = '<root_account>'

export interface CredentialReportRow {
  userName: string
  userArn: string
  isRoot: boolean
  /** The keys the row describes; at most two, without ids (the report has none). */
  keys: KeyRecord[]
}

/** The IAM users a credential report lists: every row but the root user's. */
export function iamUserCount(rows: CredentialReportRow[]): number {
  return rows.filter((r) => !r.isRoot).length
}

const REQUIRED_COLUMNS = ['user', 'arn', 'access_key_1_active', 'access_key_1_last_rotated']

/** `N/A`, `not_supported`, `no_information` and empty cells carry no date. */
export function parseCredentialReportDate(value: string | undefined): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

function usable(value: string | undefined): string | null {
  if (!value || value === 'N/A' || value === 'not_supported' || value === 'no_information') return null
  return value
}

/**
 * Parse the CSV of GetCredentialReport into one entry per row, root included. Each record
 * becomes its row as it is parsed (`on_record`): holding every record's cells and parse details
 * first, then making the rows, took 22 MB of heap at IAM's 5,000 users; this takes 10.
 */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  let header: string[] | null = null
  // Rows as arrays: a user name with a comma may come unquoted (moto does this), giving a
  // row longer than the header, which `columns: true` would reject as a whole.
  const options: Options<CredentialReportRow, string[]> = {
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    on_record: (record: string[], { lines }) => {
      if (header === null) {
        header = record
        const missing = REQUIRED_COLUMNS.filter((c) => !record.includes(c))
        if (missing.length) {
          // Said with the header as it is: a file without a header line, or another CSV, shows at once.
          throw new Error(
            `credential report lacks the columns ${missing.join(', ')} (required: ${REQUIRED_COLUMNS.join(', ')}; ` +
              `its first line, which must be the header, is ${JSON.stringify(cut(record.join(','), 200))})`
          )
        }
        return null
      }
      return credentialReportRow(cellsOf(header, record, lines))
    }
  }
  // The typings give on_record's records their type only with `columns`, which this cannot use.
  return parse(csv, options as unknown as Options) as unknown as CredentialReportRow[]
}

/** One row's cells by column name; a row with unquoted commas in its name and ARN rebuilt. */
function cellsOf(header: string[], fields: string[], line: number): Record<string, string> {
  const extra = fields.length - header.length
  const rebuilt = extra === 0 ? fields : extra > 0 && header[0] === 'user' && header[1] === 'arn' ? rebuild(fields, extra) : null
  if (!rebuilt) {
    throw new Error(`credential report line ${line} has ${fields.length} fields where the header has ${header.length}, and cannot be read`)
  }
  return Object.fromEntries(header.map((column, i) => [column, rebuilt[i]]))
}

/**
 * `extra` commas too many, all in the name and the ARN (the only free-text cells): the name is
 * the first j+1 fields and the ARN the rest of the first extra+2, where the ARN ends in `/name`
 * (IAM paths may hold commas too, so the split is not always in the middle). When no split
 * fits, the even one: k commas in the name are k in the ARN too. Null: nothing fits.
 */
function rebuild(fields: string[], extra: number): string[] | null {
  const head = fields.slice(0, extra + 2)
  const split = (j: number) => [head.slice(0, j + 1).join(','), head.slice(j + 1).join(',')]
  for (let j = 0; j <= extra; j++) {
    const [name, arn] = split(j)
    if (arn.startsWith('arn:') && arn.endsWith(`/${name}`)) return [name, arn, ...fields.slice(extra + 2)]
  }
  if (extra % 2 !== 0) return null
  return [...split(extra / 2), ...fields.slice(extra + 2)]
}

/** `password_enabled`: `true`, `false`; the root user's `not_supported` and a missing column are not known. */
function passwordEnabled(value: string | undefined): boolean | null {
  return value === 'true' ? true : value === 'false' ? false : null
}

function credentialReportRow(row: Record<string, string>): CredentialReportRow {
  const isRoot = row.user === ROOT_ROW
  // What the setup-key rule needs, read for free with the rest of the row.
  const user = { passwordEnabled: passwordEnabled(row.password_enabled), userCreatedAt: parseCredentialReportDate(row.user_creation_time) }
  const keys: KeyRecord[] = []
  for (const n of [1, 2]) {
    const createdAt = parseCredentialReportDate(row[`access_key_${n}_last_rotated`])
    if (!createdAt) continue // no key in this slot
    keys.push({
      userName: row.user,
      userArn: row.arn,
      accessKeyId: null,
      status: row[`access_key_${n}_active`] === 'true' ? 'Active' : 'Inactive',
      createdAt,
      lastUsedAt: parseCredentialReportDate(row[`access_key_${n}_last_used_date`]),
      lastUsedService: usable(row[`access_key_${n}_last_used_service`]),
      isRoot,
      ...user
    })
  }
  return { userName: row.user, userArn: row.arn, isRoot, keys }
}
