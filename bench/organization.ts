// Benchmark: `accounts: organization` over N moto accounts behind a latency proxy, scanned
// one at a time and max-concurrency at a time. Run: npm run bench:org [-- --accounts 50 --users 20 --latency 20 --stock-moto]
import { CreateAccountCommand, CreateOrganizationCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Report } from '../src/core/report.js'
import { accountCredentials, seedKeys, motoClientConfig } from '../__tests__/integration/support/aws.js'
import { startFaultProxy } from '../__tests__/integration/support/fault-proxy.js'
import { motoEnv, runAction } from '../__tests__/integration/support/run-action.js'
import { startBenchMoto } from './moto.js'

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '50' },
    users: { type: 'string', default: '20' },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    'stock-moto': { type: 'boolean', default: false }
  }
})
const ACCOUNTS = Number(values.accounts)
const USERS = Number(values.users)
const STALE_PER_ACCOUNT = Math.max(1, Math.round(USERS / 10))

async function main(): Promise<void> {
  console.log(`Seeding an organization of ${ACCOUNTS} moto accounts, ${USERS} users each (${STALE_PER_ACCOUNT} stale); ${values.latency} ms per call.`)
  const moto = await startBenchMoto(values['stock-moto'])
  const proxy = await startFaultProxy(moto.endpoint, Number(values.latency))
  try {
    const org = new OrganizationsClient(motoClientConfig(moto.endpoint))
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
    for (let i = 1; i < ACCOUNTS; i++) {
      await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }))
    }
    const ids: string[] = []
    for (const a of (await org.send(new ListAccountsCommand({}))).Accounts ?? []) ids.push(a.Id!)
    org.destroy()
    for (const id of ids) {
      const credentials = id === '123456789012' ? undefined : await accountCredentials(moto, id)
      const specs = Array.from({ length: USERS }, (_, i) => ({ userName: `u${i}`, age: i < STALE_PER_ACCOUNT ? '-200d' : '-10d' }))
      await seedKeys(moto, specs, [], credentials)
    }

    const rows = []
    for (const concurrency of ['1', String(values.concurrency)]) {
      proxy.reset()
      const start = performance.now()
      const run = await runAction({ accounts: 'organization', 'max-concurrency': concurrency, 'fail-on': 'none' }, motoEnv(proxy.endpoint))
      const ms = performance.now() - start
      if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout}`)
      const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
      rows.push({ concurrency, ms, calls: proxy.actions.length, accounts: report.accounts.length, stale: report.totals.stale })
    }
    console.log('\nmax-concurrency  wall      AWS calls  accounts  stale')
    for (const r of rows) {
      console.log(`${r.concurrency.padEnd(17)}${`${(r.ms / 1000).toFixed(2)} s`.padEnd(10)}${String(r.calls).padEnd(11)}${String(r.accounts).padEnd(10)}${r.stale}`)
    }
    console.log(`\nserver: ${moto.description}`)
    console.log(`speed-up of max-concurrency ${values.concurrency} over 1: ${(rows[0].ms / rows[1].ms).toFixed(1)}x`)
    const expected = ACCOUNTS * STALE_PER_ACCOUNT
    const wrong = rows.filter((r) => r.accounts !== ACCOUNTS || r.stale !== expected)
    if (wrong.length) {
      console.error(`FAILED: expected ${ACCOUNTS} accounts and ${expected} stale keys`)
      process.exitCode = 1
    } else console.log(`Both runs found all ${expected} stale keys in ${ACCOUNTS} accounts.`)
  } finally {
    await proxy.close()
    await moto.stop()
  }
}

await main()
