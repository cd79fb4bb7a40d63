// GitHub's objects as its REST API answers them: an issue, a label, a comment, a user, with
// every field that GitHub's OpenAPI description marks required (checked by github-openapi.ts).
// The stand-in keeps only what the tests look at; these turn that into GitHub's full shape.

export interface Place {
  /** The stand-in's API root, as GITHUB_API_URL. */
  api: string
  /** The web root issues link to (GITHUB_SERVER_URL of the tests). */
  web: string
  owner: string
  repo: string
}

/** An issue as the stand-in (github-api.ts) stores it; fields beyond the first eight are optional. */
export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  labels: string[]
  assignees: string[]
  comments: FakeComment[]
  pull_request?: boolean
  /** Who opened it; unset: github-actions[bot]. */
  user?: { login: string; type: 'User' | 'Bot' }
  /** ISO times, whole seconds as GitHub gives; created_at unset: FIXED_TIME. */
  created_at?: string
  updated_at?: string
  closed_at?: string | null
}

/** A comment as the stand-in stores it: GitHub's id, its author and times (ISO, whole seconds). */
export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: 'User' | 'Bot' }
  created_at: string
  updated_at: string
}

/** Who GITHUB_TOKEN acts as. */
export const ACTIONS_BOT = { login: 'github-actions[bot]', type: 'Bot' } as const
/** A fixed time, so answers are the same from run to run. */
export const FIXED_TIME = '2026-01-05T09:00:00Z'

/** A stable positive id from a string (GitHub's ids are integers). */
function idOf(text: string): number {
  let h = 7
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) % 2_000_000_000
  return h + 1
}

export function githubUser(login: string, place: Place) {
  const bot = login.endsWith('[bot]')
  const id = login === ACTIONS_BOT.login ? 41898282 : idOf(`user:${login}`)
  const url = `${place.api}/users/${encodeURIComponent(login)}`
  return {
    login,
    id,
    node_id: `${bot ? 'BOT' : 'U'}_${id.toString(36)}`,
    avatar_url: `https://avatars.example/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${place.web}/${bot ? 'apps/' + login.replace(/\[bot\]$/, '') : login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: bot ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false
  }
}

export function githubLabel(name: string, place: Place, color = 'ededed') {
  const id = idOf(`label:${name}`)
  return {
    id,
    node_id: `LA_${id.toString(36)}`,
    url: `${place.api}/repos/${place.owner}/${place.repo}/labels/${encodeURIComponent(name)}`,
    name,
    color,
    default: false,
    description: null
  }
}

export function githubIssue(issue: FakeIssue, place: Place) {
  const repoUrl = `${place.api}/repos/${place.owner}/${place.repo}`
  const url = `${repoUrl}/issues/${issue.number}`
  const htmlUrl = `${place.web}/${place.owner}/${place.repo}/${issue.pull_request ? 'pull' : 'issues'}/${issue.number}`
  const id = idOf(`issue:${place.owner}/${place.repo}#${issue.number}`)
  const assignees = issue.assignees.map((login) => githubUser(login, place))
  const created = issue.created_at ?? FIXED_TIME
  return {
    id,
    node_id: `I_${id.toString(36)}`,
    url,
    repository_url: repoUrl,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: htmlUrl,
    timeline_url: `${url}/timeline`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state_reason,
    title: issue.title,
    body: issue.body,
    user: githubUser((issue.user ?? ACTIONS_BOT).login, place),
    labels: issue.labels.map((name) => githubLabel(name, place)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: issue.comments.length,
    closed_at: issue.state === 'closed' ? (issue.closed_at ?? issue.updated_at ?? created) : null,
    created_at: created,
    updated_at: issue.updated_at ?? created,
    closed_by: null,
    author_association: 'NONE',
    ...(issue.pull_request
      ? {
          pull_request: {
            url: `${repoUrl}/pulls/${issue.number}`,
            html_url: htmlUrl,
            diff_url: `${htmlUrl}.diff`,
            patch_url: `${htmlUrl}.patch`,
            merged_at: null
          }
        }
      : {})
  }
}

/** A comment of an issue, as GitHub answers it. */
export function githubComment(issue: FakeIssue, comment: FakeComment, place: Place) {
  const issueUrl = `${place.api}/repos/${place.owner}/${place.repo}/issues/${issue.number}`
  return {
    id: comment.id,
    node_id: `IC_${comment.id.toString(36)}`,
    url: `${place.api}/repos/${place.owner}/${place.repo}/issues/comments/${comment.id}`,
    html_url: `${place.web}/${place.owner}/${place.repo}/issues/${issue.number}#issuecomment-${comment.id}`,
    issue_url: issueUrl,
    body: comment.body,
    user: githubUser(comment.user.login, place),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER'
  }
}

/** GitHub's error answer (basic-error; validation-error when `errors` are given, as with 422). */
export function githubError(status: number, message: string, docs: string, errors?: Record<string, unknown>[]) {
  return {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: `https://docs.github.com/rest/${docs}`,
    status: String(status)
  }
}

/** `GET /user` for a personal token: the public profile GitHub's description requires. */
export function githubAuthenticatedUser(login: string, place: Place) {
  return {
    ...githubUser(login, place),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: FIXED_TIME,
    updated_at: FIXED_TIME
  }
}

/** What GET /repos/{owner}/{repo}/collaborators/{username}/permission answers for a role. */
export function githubPermission(login: string, role: 'admin' | 'maintain' | 'write' | 'triage' | 'read', place: Place) {
  // `permission` knows only admin, write and read: maintain is write there, triage read.
  const permission = role === 'admin' ? 'admin' : role === 'maintain' || role === 'write' ? 'write' : 'read'
  const can = { admin: role === 'admin', maintain: role === 'admin' || role === 'maintain' }
  return {
    permission,
    role_name: role,
    user: {
      ...githubUser(login, place),
      role_name: role,
      permissions: { pull: true, triage: role !== 'read', push: permission !== 'read', maintain: can.maintain, admin: can.admin }
    }
  }
}
