// The layering of DESIGN.md is enforced by `npm run lint`: these run the project's own ESLint
// configuration over imports a file in core/ or render/ must never make, and one it may.
import { describe, expect, it } from '@jest/globals'
import { ESLint } from 'eslint'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const eslint = new ESLint({ cwd: ROOT })

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` })
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`)
}

const RULE = '@typescript-eslint/no-restricted-imports'

describe('the pure layers (lint)', () => {
  it.each([
    ['src/core/x.ts', "import { call } from '../aws/errors.js'\nexport const x = call\n"],
    ['src/core/x.ts', "import type { Octokit } from '../sinks/octokit.js'\nexport type X = Octokit\n"],
    ['src/core/x.ts', "import { plain } from '../render/escape.js'\nexport const x = plain\n"],
    ['src/render/x.ts', "import { scanAccount } from '../scan/account.js'\nexport const x = scanAccount\n"],
    ['src/render/x.ts', "import * as core from '@actions/core'\nexport const x = core\n"],
    ['src/render/x.ts', "import type { MessageAttributeValue } from '@aws-sdk/client-sns'\nexport type X = MessageAttributeValue\n"],
    ['src/core/x.ts', "import { run } from '../action/main.js'\nexport const x = run\n"],
    ['src/render/x.ts', "import { main } from '../cli/main.js'\nexport const x = main\n"]
  ])('%s may not import what %j imports', async (file, code) => {
    expect((await problems(file, code)).filter((p) => p.startsWith(RULE))).toHaveLength(1)
  })

  it('keeps process (the environment, the exit code) out of core/ and render/', async () => {
    for (const file of ['src/core/x.ts', 'src/render/x.ts']) {
      expect(await problems(file, 'export const ci = process.env.CI\n')).toEqual([expect.stringMatching(/^no-restricted-globals: /)])
    }
  })

  it.each([
    ['src/scan/x.ts', "import type { ActionOptions } from '../action/inputs.js'\nexport type X = ActionOptions\n"],
    ['src/aws/x.ts', "import { main } from '../cli/main.js'\nexport const x = main\n"],
    ['src/sinks/x.ts', "import { run } from '../action/main.js'\nexport const x = run\n"]
  ])('%s serves both adapters: it may not import %j', async (file, code) => {
    expect((await problems(file, code)).filter((p) => p.startsWith(RULE))).toHaveLength(1)
  })

  it('lets render/ use core/, and the adapters use anything', async () => {
    expect(await problems('src/render/x.ts', "import { plural } from '../core/plural.js'\nexport const x = plural\n")).toEqual([])
    expect(await problems('src/scan/x.ts', "import { call } from '../aws/errors.js'\nexport const x = call\n")).toEqual([])
    expect(await problems('src/action/x.ts', "import * as core from '@actions/core'\nexport const x = core\n")).toEqual([])
  })
})
