// `npm run docs:images`: the README's pictures of the job summary and the tracking issue,
// rendered from the demo (examples/demo: made-up account 111122223333, a key of every kind,
// the demo's flags), so they show exactly what the code writes today.
//
// The markdown comes from the real renderers (renderSummary, renderIssueBody) on the report the
// CLI's --credential-report builds; marked turns it into HTML, a small stylesheet makes it look
// like GitHub's light theme, and headless Chromium takes the screenshots into docs/. A maintainer
// runs this after changing the renderers and commits the PNGs; CI never needs Chromium.
//
// Needs Chromium (`sudo apt-get install -y chromium`; or set CHROMIUM to the binary).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { marked } from 'marked'
import { DEMO_FLAGS, SAMPLE, sampleAsOf } from '../examples/demo/sample.mjs'
import { parseCommandLine } from '../src/cli/args.js'
import { reportFromCredentialReport } from '../src/scan/offline.js'
import { accountReport } from '../src/core/report.js'
import { issueTitle, renderIssueBody } from '../src/render/issue-body.js'
import { renderSummary } from '../src/render/summary.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DOCS = join(ROOT, 'docs')
const ACCOUNT = '111122223333'
const RUN_URL = 'https://github.com/acme/aws-audit/actions/runs/12345678901'
const CHROMIUM = process.env.CHROMIUM || 'chromium'
/** Viewport width; the page itself is 900px wide, centred. */
const WIDTH = 1000
/** 2: sharp on high-density screens, where GitHub shows the README's images at about 900px. */
const SCALE = 1.5

// Today at the README's cron time (06:17 UTC): the pictures change only when the day does.
const today = new Date()
const now = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 6, 17))

const command = parseCommandLine(['scan', '--credential-report', SAMPLE, ...DEMO_FLAGS])
if (command.kind !== 'scan') throw new Error(`the demo flags do not parse: ${JSON.stringify(command)}`)
const { policy, exemptions, maskKeyIds } = command.options
const report = reportFromCredentialReport(sampleAsOf(now), { policy, exemptions, now })
if (report.accounts[0]?.accountId !== ACCOUNT) throw new Error(`the demo report is not of account ${ACCOUNT}`)
const account = accountReport(report, ACCOUNT)

const STYLE = `
  * { box-sizing: border-box; }
  html { background: #ffffff; }
  body {
    margin: 0; padding: 24px 50px; color: #1f2328; background: #ffffff;
    font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
    font-size: 14px; line-height: 1.5;
  }
  .page { width: 900px; }
  .box { border: 1px solid #d1d9e0; border-radius: 6px; overflow: hidden; }
  .box-header {
    background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e;
  }
  .box-header strong { color: #1f2328; }
  .markdown-body { padding: 8px 16px 16px; }
  .markdown-body > :first-child { margin-top: 16px; }
  .markdown-body > :last-child { margin-bottom: 0; }
  h1, h2, h3, h4 { font-weight: 600; line-height: 1.25; margin: 24px 0 16px; }
  h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
  h3 { font-size: 1.25em; }
  h4 { font-size: 1em; }
  p, table { margin: 0 0 16px; }
  a { color: #0969da; text-decoration: underline; text-underline-offset: .2rem; }
  em { font-style: italic; }
  code {
    font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
    font-size: 85%; padding: .2em .4em; border-radius: 6px; background: #818b981f; white-space: nowrap;
  }
  table { border-collapse: collapse; border-spacing: 0; display: block; width: max-content; max-width: 100%; overflow: auto; }
  th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
  th { font-weight: 600; }
  tr { background: #ffffff; border-top: 1px solid #d1d9e0b3; }
  tr:nth-child(2n) { background: #f6f8fa; }
  .issue-title { font-size: 26px; font-weight: 400; line-height: 1.25; margin: 0 0 8px; }
  .issue-title .number { color: #59636e; font-weight: 300; }
  .issue-meta { display: flex; align-items: center; gap: 8px; color: #59636e; margin-bottom: 16px;
    padding-bottom: 16px; border-bottom: 1px solid #d1d9e0; }
  .state { background: #1f883d; color: #ffffff; border-radius: 2em; padding: 4px 12px; font-weight: 500; }
  .label { border-radius: 2em; padding: 0 7px; font-size: 12px; font-weight: 500; line-height: 18px;
    background: #d73a4a; color: #ffffff; }
`

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)
}

function page(title: string, inner: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><div class="page">${inner}</div></body></html>
`
}

function markdownHtml(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true })
}

/** The summary as the run page shows it: a box headed by the job's name. */
function summaryPage(): string {
  const markdown = renderSummary(report, { maskKeyIds })
  return page(
    'Job summary',
    `<div class="box"><div class="box-header"><strong>scan</strong> summary</div>` +
      `<div class="markdown-body">${markdownHtml(markdown)}</div></div>`
  )
}

/** The issue as its page shows it: title, state, labels, then the body in a comment box. */
function issuePage(): string {
  const title = issueTitle(account, ACCOUNT)
  const markdown = renderIssueBody(account, ACCOUNT, { maskKeyIds, runUrl: RUN_URL })
  const labels = ['security', 'iam-key-sentry'].map((l) => `<span class="label">${l}</span>`).join('')
  return page(
    title,
    `<h1 class="issue-title">${escapeHtml(title)} <span class="number">#42</span></h1>` +
      `<div class="issue-meta"><span class="state">Open</span>` +
      `<span><strong>github-actions</strong> opened this issue</span>${labels}</div>` +
      `<div class="box"><div class="box-header"><strong>github-actions</strong> <span>bot</span></div>` +
      `<div class="markdown-body">${markdownHtml(markdown)}</div></div>`
  )
}

function chromium(args: string[], profile: string): string {
  const result = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      ...args
    ],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }
  )
  if (result.error) {
    throw new Error(`could not run ${CHROMIUM} (${result.error.message}); install Chromium or set CHROMIUM`)
  }
  if (result.status !== 0) throw new Error(`${CHROMIUM} exited with ${result.status}: ${result.stderr}`)
  return result.stdout
}

/**
 * The page's laid-out height at WIDTH: a script writes it into the DOM, which --dump-dom prints
 * once the page has loaded.
 */
function contentHeight(file: string, profile: string): number {
  const dom = chromium([`--window-size=${WIDTH},600`, '--dump-dom', pathToFileURL(file).href], profile)
  const height = Number(/data-height="(\d+)"/.exec(dom)?.[1])
  if (!Number.isFinite(height) || height <= 0) throw new Error(`could not measure ${file}`)
  return height
}

const MEASURE = `<script>document.documentElement.dataset.height = String(Math.ceil(document.documentElement.getBoundingClientRect().height))</script>`

function screenshot(name: string, html: string, work: string): void {
  const file = join(work, `${name}.html`)
  writeFileSync(file, html.replace('</body>', `${MEASURE}</body>`))
  const height = contentHeight(file, join(work, 'profile-measure'))
  const png = join(DOCS, `${name}.png`)
  chromium(
    [`--window-size=${WIDTH},${height}`, `--force-device-scale-factor=${SCALE}`, `--screenshot=${png}`, pathToFileURL(file).href],
    join(work, `profile-${name}`)
  )
  console.warn(`docs/${name}.png: ${WIDTH}x${height} CSS px at ${SCALE}x, ${Math.round(statSync(png).size / 1024)} KiB`)
}

const work = mkdtempSync(join(tmpdir(), 'iam-key-sentry-docs-'))
try {
  screenshot('job-summary', summaryPage(), work)
  screenshot('tracking-issue', issuePage(), work)
} finally {
  rmSync(work, { recursive: true, force: true })
}
