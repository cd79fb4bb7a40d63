// Remediation's AWS calls (src/aws/remediation.ts) against moto's IAM, on real SDK clients: a key
// is looked up by its id alone, deactivated, reactivated and deleted, and ids that are not this
// account's keys (made up, or another moto account's) are not found. moto answers
// GetAccessKeyLastUsed for an unknown id with NoSuchEntity, and for a key of another of its
// accounts with that key's user name (it searches every account), which ListAccessKeys here
// does not confirm.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { deleteKey, lookUpKey, setKeyStatus } from '../../src/aws/remediation.js'
import { motoClientConfig, seedAccountKeys, seedKeys, type SeededKey } from './support/aws.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const DAY = 86_400_000

describeMoto('remediation against moto: look a key up by its id, change its status, delete it', () => {
  let moto: MotoServer
  let iam: IAMClient
  let alice: SeededKey
  let bob: SeededKey
  let elsewhere: SeededKey

  beforeAll(async () => {
    moto = await startMoto()
    ;[alice, bob] = await seedKeys(moto, [
      { userName: 'old-alice', age: '-200d' },
      { userName: 'old-bob', age: '-120d', inactive: true }
    ])
    // The same user name in another account: its key must not pass for old-alice's.
    ;[elsewhere] = (await seedAccountKeys(moto, '210987654321', [{ userName: 'old-alice', age: '-30d' }])).keys
    iam = new IAMClient(motoClientConfig(moto.endpoint))
  }, 60_000)

  afterAll(async () => {
    iam?.destroy()
    await moto?.stop()
  })

  it('finds an active key by its id: its user, status, creation day, and no use yet', async () => {
    const facts = await lookUpKey(iam, alice.accessKeyId)

    expect(facts).toMatchObject({
      accessKeyId: alice.accessKeyId,
      userName: 'old-alice',
      isRoot: false,
      status: 'Active',
      lastUsedAt: null,
      lastUsedService: null
    })
    const ageDays = (Date.now() - facts!.createdAt!.getTime()) / DAY
    expect(ageDays).toBeGreaterThan(199)
    expect(ageDays).toBeLessThan(201)
  })

  it('finds an inactive key as Inactive', async () => {
    expect(await lookUpKey(iam, bob.accessKeyId)).toMatchObject({ userName: 'old-bob', status: 'Inactive' })
  })

  it('is null for a made-up AKIA id (moto answers NoSuchEntity)', async () => {
    expect(await lookUpKey(iam, 'AKIAZZZZZZZZZZZZZZZZ')).toBeNull()
  })

  it("is null for another account's key, even under a user name this account also has", async () => {
    expect(elsewhere.userName).toBe('old-alice')
    expect(await lookUpKey(iam, elsewhere.accessKeyId)).toBeNull()
  })

  it('deactivates a key, and reactivates it: the next look-up says so, and the other keys are untouched', async () => {
    await setKeyStatus(iam, 'old-alice', alice.accessKeyId, 'Inactive')
    expect(await lookUpKey(iam, alice.accessKeyId)).toMatchObject({ status: 'Inactive' })
    expect(await lookUpKey(iam, bob.accessKeyId)).toMatchObject({ status: 'Inactive' })

    // Idempotent: a second deactivation is a no-op.
    await setKeyStatus(iam, 'old-alice', alice.accessKeyId, 'Inactive')
    expect(await lookUpKey(iam, alice.accessKeyId)).toMatchObject({ status: 'Inactive' })

    await setKeyStatus(iam, 'old-alice', alice.accessKeyId, 'Active')
    expect(await lookUpKey(iam, alice.accessKeyId)).toMatchObject({ status: 'Active' })
  })

  it("refuses to change a key under a user that does not own it (IAM's NoSuchEntity, wrapped)", async () => {
    await expect(setKeyStatus(iam, 'old-bob', alice.accessKeyId, 'Inactive')).rejects.toThrow(/^iam:UpdateAccessKey failed \(NoSuchEntity(Exception)?: /)
    expect(await lookUpKey(iam, alice.accessKeyId)).toMatchObject({ status: 'Active' })
  })

  it('deletes exactly the key: the next look-up is null, the user and its other keys stay; a second delete is "already deleted"', async () => {
    await setKeyStatus(iam, 'old-alice', alice.accessKeyId, 'Inactive')
    await deleteKey(iam, 'old-alice', alice.accessKeyId)

    expect(await lookUpKey(iam, alice.accessKeyId)).toBeNull()
    const left = await iam.send(new ListAccessKeysCommand({ UserName: 'old-alice' }))
    expect(left.AccessKeyMetadata).toEqual([])
    expect(await lookUpKey(iam, bob.accessKeyId)).toMatchObject({ userName: 'old-bob', status: 'Inactive' })

    await expect(deleteKey(iam, 'old-alice', alice.accessKeyId)).resolves.toBeUndefined()
  })
})
