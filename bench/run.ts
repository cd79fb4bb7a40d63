// Benchmark: the per-user listing algorithm against the built action (auto and api), on a
// moto account of N users behind a latency-adding proxy. Run: npm run bench [-- --users 600 --latency 20]
import { IAMClient, ListAccessKeysCommand, paginateListUsers } from '@aws-sdk/client-iam'
import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Report } from '../src/report.js'
import { seedKeys, type KeySpec } from '../__tests__/integration/support/aws.js'
import { startFaultProxy, type FaultProxy } from '../__tests__/integration/support/fault-proxy.js'
import { startMoto } from '../__tests__/integration/support/moto.js'
import { DIST, motoEnv, runAction } from '../__tests__/integration/support/run-action.js'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '600' },
    latency: { type: 'string', default: '20' },
    'stale-percent': { type: 'string', default: '10' }
  }
})
const USERS = Number(values.users)
const LATENCY = Number(values.latency)
const STALE = Math.round((USERS * Number(values['stale-percent'])) / 100)
const MAX_AGE_DAYS = 90

interface Row {
  name: string
  ms: number
  iamCalls: number
  stale: string[]
}

const iamCalls = (proxy: FaultProxy) => proxy.actions.filter((a) => a !== 'GetCallerIdentity').length

/** The old Lambda script's algorithm, done right: ListUsers paged, then ListAccessKeys per user, one at a time. */
async function baseline(proxy: FaultProxy): Promise<Row> {
  const env = motoEnv(proxy.endpoint)
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
  })
  proxy.reset()
  const start = performance.now()
  const stale: string[] = []
  const now = Date.now()
  for await (const page of paginateListUsers({ client: iam }, {})) {
    for (const user of page.Users ?? []) {
      const out = await iam.send(new ListAccessKeysCommand({ UserName: user.UserName }))
      for (const k of out.AccessKeyMetadata ?? []) {
        const age = Math.floor((now - k.CreateDate!.getTime()) / 86_400_000)
        if (k.Status === 'Active' && age >= MAX_AGE_DAYS) stale.push(k.AccessKeyId!)
      }
    }
  }
  const ms = performance.now() - start
  iam.destroy()
  return { name: 'baseline (per-user listing)', ms, iamCalls: iamCalls(proxy), stale: stale.sort() }
}

async function action(proxy: FaultProxy, dataSource: string): Promise<Row & { coldStartMs: number }> {
  proxy.reset()
  const start = Date.now()
  const t0 = performance.now()
  const run = await runAction(
    { 'data-source': dataSource, 'max-key-age-days': String(MAX_AGE_DAYS), 'fail-on': 'none' },
    motoEnv(proxy.endpoint)
  )
  const ms = performance.now() - t0
  if (run.exitCode !== 0) throw new Error(`the action failed (${dataSource}):\n${run.stdout}\n${run.stderr}`)
  const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
  return {
    name: `action, data-source: ${dataSource}`,
    ms,
    iamCalls: iamCalls(proxy),
    stale: report.findings.filter((f) => f.kind === 'stale').map((f) => f.accessKeyId ?? '').sort(),
    coldStartMs: (proxy.firstRequestAt ?? start) - start
  }
}

/** Time from `node dist/index.js` to its first AWS request, with nothing else going on. */
async function coldStart(proxy: FaultProxy): Promise<number> {
  proxy.reset()
  const start = Date.now()
  const child = spawn(process.execPath, [DIST], {
    env: { PATH: process.env.PATH, ...motoEnv(proxy.endpoint), 'INPUT_DATA-SOURCE': 'api' },
    stdio: 'ignore'
  })
  while (proxy.firstRequestAt === null && child.exitCode === null) await new Promise((r) => setTimeout(r, 2))
  child.kill()
  return (proxy.firstRequestAt ?? Date.now()) - start
}

async function main(): Promise<void> {
  console.log(`Seeding a moto account: ${USERS} users, ${STALE} with a stale key; ${LATENCY} ms added per call.`)
  const moto = await startMoto()
  const proxy = await startFaultProxy(moto.endpoint, LATENCY)
  try {
    const specs: KeySpec[] = Array.from({ length: USERS }, (_, i) => ({
      userName: `user-${String(i).padStart(5, '0')}`,
      age: i < STALE ? '-200d' : '-10d'
    }))
    await seedKeys(moto, specs)

    const rows = [await baseline(proxy), await action(proxy, 'auto'), await action(proxy, 'api')]
    const cold = [await coldStart(proxy), await coldStart(proxy), await coldStart(proxy)].sort((a, b) => a - b)[1]
    const base = rows[0]

    const pad = (s: string, n: number) => s.padEnd(n)
    console.log('')
    console.log(`${pad('run', 30)}${pad('wall', 10)}${pad('IAM calls', 11)}${pad('speed-up', 10)}${pad('calls vs baseline', 18)}stale`)
    for (const r of rows) {
      console.log(
        `${pad(r.name, 30)}${pad(`${(r.ms / 1000).toFixed(2)} s`, 10)}${pad(String(r.iamCalls), 11)}` +
          `${pad(`${(base.ms / r.ms).toFixed(1)}x`, 10)}${pad(`${((100 * r.iamCalls) / base.iamCalls).toFixed(0)}%`, 18)}${r.stale.length}`
      )
    }
    const size = statSync(DIST).size
    console.log('')
    console.log(`cold start (node dist/index.js to its first AWS request, median of 3): ${cold} ms`)
    console.log(`dist/index.js: ${(size / 1024 / 1024).toFixed(2)} MiB`)

    const problems: string[] = []
    for (const r of rows.slice(1)) {
      if (JSON.stringify(r.stale) !== JSON.stringify(base.stale)) problems.push(`${r.name} found other stale keys than the baseline`)
    }
    if (base.stale.length !== STALE) problems.push(`the baseline found ${base.stale.length} stale keys, expected ${STALE}`)
    const autoBudget = 5 + 2 * STALE
    if (rows[1].iamCalls > autoBudget) problems.push(`auto made ${rows[1].iamCalls} IAM calls, budget ${autoBudget}`)
    console.log(`auto call budget (5 + 2 x users with findings): ${autoBudget}`)
    if (problems.length) {
      console.error(`\nFAILED:\n- ${problems.join('\n- ')}`)
      process.exitCode = 1
    } else {
      console.log('\nAll three runs found the same stale keys.')
    }
  } finally {
    await proxy.close()
    await moto.stop()
  }
}

await main()
