// Seeding a benchmark account in bulk: moto's clock is set once per group of users (all made
// "on the same day"); each group is made inside moto in one request (bench/moto-routing/bench_seed.py)
// or, on a moto without that route (--stock-moto), with the API's calls, several at a time.
import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam'
import pLimit from 'p-limit'
import { motoClientConfig } from '../__tests__/integration/support/aws.js'
import type { MotoServer } from '../__tests__/integration/support/moto.js'
import type { BenchMoto } from './moto.js'

export interface SeedGroup {
  users: string[]
  /** moto's clock when the users are made (libfaketime offset: `-300d`). */
  userAge: string
  /** Its clock when their one key each is made. */
  keyAge: string
  /** A console password too (CreateLoginProfile), made with the user. */
  password?: boolean
}

/** moto serves one request at a time: a few in flight keep it busy without queueing for long. */
const SEED_CONCURRENCY = 4

const PASSWORD = 'bench-Passw0rd!'

/** One batch made inside moto: its users (and passwords), or a key for each. */
async function seedInMoto(moto: MotoServer, make: 'users' | 'keys', group: SeedGroup): Promise<void> {
  const users = group.users.map((name) => ({ name, password: group.password ? PASSWORD : undefined }))
  const res = await fetch(`${moto.endpoint}/bench/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ make, users }),
    signal: AbortSignal.timeout(300_000)
  })
  if (!res.ok) throw new Error(`bulk seeding of ${make} failed: ${res.status} ${await res.text()}`)
}

/** Users, then keys, group by group; the clock changes only between batches, never during one. */
export async function seedGroups(moto: BenchMoto, groups: SeedGroup[]): Promise<void> {
  if (moto.bulkSeeding) {
    try {
      for (const g of groups) {
        moto.setClock(g.userAge)
        await seedInMoto(moto, 'users', g)
        moto.setClock(g.keyAge)
        await seedInMoto(moto, 'keys', g)
      }
    } finally {
      moto.setClock('+0')
    }
    return
  }
  const iam = new IAMClient(motoClientConfig(moto.endpoint))
  const limit = pLimit(SEED_CONCURRENCY)
  const batch = async (age: string, users: string[], make: (user: string) => Promise<unknown>) => {
    moto.setClock(age)
    await Promise.all(users.map((user) => limit(() => make(user))))
  }
  try {
    for (const g of groups) {
      await batch(g.userAge, g.users, async (UserName) => {
        await iam.send(new CreateUserCommand({ UserName }))
        if (g.password) await iam.send(new CreateLoginProfileCommand({ UserName, Password: PASSWORD }))
      })
      await batch(g.keyAge, g.users, (UserName) => iam.send(new CreateAccessKeyCommand({ UserName })))
    }
  } finally {
    moto.setClock('+0')
    iam.destroy()
  }
}
