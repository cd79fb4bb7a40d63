// The command an approver pastes into the tracking issue to act on a key (DESIGN.md,
// Remediation), shown beside each key when remediation is on. It needs the full key id: the
// command names exactly one key, so it is shown even where mask-key-ids masks the rest.
import type { Finding } from '../core/model.js'
import { isRootFinding } from '../core/policy.js'
import { ACCESS_KEY_ID } from '../core/remediation-commands.js'

/**
 * The command for a finding's key, or null: a root key (never touched), an exempt one, one
 * without an id, or an id a command would not take (so the command is only ever our own text).
 */
export function remediationCommand(f: Finding): string | null {
  if (f.exempt || isRootFinding(f) || !f.accessKeyId || !ACCESS_KEY_ID.test(f.accessKeyId)) return null
  // An inactive key is already off: what is left is to delete it.
  return f.status === 'Inactive' ? `/delete ${f.accessKeyId}` : `/deactivate ${f.accessKeyId}`
}

/** The command as an inert code span (a table cell, a checklist line); `—` when there is none. */
export function commandCell(f: Finding): string {
  const command = remediationCommand(f)
  // Only letters, digits, a space and a slash: nothing a code span could not hold.
  return command ? `\`${command}\`` : '—'
}
