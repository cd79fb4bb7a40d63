// The benchmarks' moto_server: the tests' one, with moto's per-request directory listing done
// once (bench/moto-routing/sitecustomize.py), unless `stock` asks for moto as installed.
import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { motoClientConfig } from '../__tests__/integration/support/aws.js'
import { startMoto, type MotoServer } from '../__tests__/integration/support/moto.js'

const ROUTING = join(dirname(fileURLToPath(import.meta.url)), 'moto-routing')
const CACHED = 'bench: moto routing cached'

export interface BenchMoto extends MotoServer {
  description: string
  /** Whether users and keys can be made in bulk (bench/moto-routing/bench_seed.py). */
  bulkSeeding: boolean
}

export async function startBenchMoto(stock: boolean): Promise<BenchMoto> {
  if (stock) return { ...(await startMoto()), description: 'moto_server as installed', bulkSeeding: false }
  const pythonPath = [ROUTING, process.env.PYTHONPATH].filter(Boolean).join(delimiter)
  const moto = await startMoto({ env: { PYTHONPATH: pythonPath } })
  const cached = moto.log().includes(CACHED)
  if (!cached) console.warn(`moto's routing could not be cached; the figures are for moto as installed:\n${moto.log()}`)
  return {
    ...moto,
    description: cached ? 'moto_server, routing cached (--stock-moto: as installed)' : 'moto_server as installed',
    bulkSeeding: moto.log().includes('bench: moto bulk seeding\n')
  }
}

/** One IAM call's time, client included, one at a time and with no proxy: what moto adds to each call. */
export async function motoServiceMs(moto: MotoServer, userName: string, calls = 100): Promise<number> {
  const iam = new IAMClient(motoClientConfig(moto.endpoint))
  await iam.send(new ListAccessKeysCommand({ UserName: userName }))
  const start = performance.now()
  for (let i = 0; i < calls; i++) await iam.send(new ListAccessKeysCommand({ UserName: userName }))
  const ms = (performance.now() - start) / calls
  iam.destroy()
  return ms
}
