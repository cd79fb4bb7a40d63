import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { PRODUCT, userAgent, userAgentPairs, VERSION } from '../../../src/core/user-agent.js'

const PACKAGE = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string }

describe('the user agent', () => {
  it('names the product and package.json’s version', () => {
    expect(PRODUCT).toBe(PACKAGE.name)
    expect(VERSION).toBe(PACKAGE.version)
    expect(userAgentPairs({})).toEqual([['iam-key-sentry', PACKAGE.version]])
    expect(userAgent({})).toBe(`iam-key-sentry/${PACKAGE.version}`)
  })

  it('adds the workflow run on a runner', () => {
    const env = { GITHUB_RUN_ID: '1234567890' }
    expect(userAgentPairs(env)).toEqual([
      ['iam-key-sentry', PACKAGE.version],
      ['github-run', '1234567890']
    ])
    expect(userAgent(env)).toBe(`iam-key-sentry/${PACKAGE.version} github-run/1234567890`)
  })

  it('leaves out a run id that is not digits rather than send it', () => {
    expect(userAgent({ GITHUB_RUN_ID: '12 evil/1.0' })).toBe(`iam-key-sentry/${PACKAGE.version}`)
    expect(userAgent({ GITHUB_RUN_ID: '' })).toBe(`iam-key-sentry/${PACKAGE.version}`)
  })
})
