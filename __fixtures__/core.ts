// Typed mocks of the @actions/core functions the action uses, in the style of
// actions/typescript-action: `jest.unstable_mockModule('@actions/core', () => core)`.
import type * as core from '@actions/core'
import { jest } from '@jest/globals'

export const getInput = jest.fn<typeof core.getInput>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const setSecret = jest.fn<typeof core.setSecret>()
export const info = jest.fn<typeof core.info>()
export const warning = jest.fn<typeof core.warning>()
export const debug = jest.fn<typeof core.debug>()
export const error = jest.fn<typeof core.error>()
export const getIDToken = jest.fn<typeof core.getIDToken>()
export const startGroup = jest.fn<typeof core.startGroup>()
export const endGroup = jest.fn<typeof core.endGroup>()
/** As @actions/core's: startGroup, the work, endGroup even when the work throws. */
export const group = jest.fn(async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  startGroup(name)
  try {
    return await fn()
  } finally {
    endGroup()
  }
})

type WriteOptions = Parameters<typeof core.summary.write>[0]

/** The part of core.summary the action uses; addRaw chains, write resolves to the summary. */
export interface SummaryMock {
  addRaw: jest.Mock<(text: string, addEOL?: boolean) => SummaryMock>
  write: jest.Mock<(options?: WriteOptions) => Promise<SummaryMock>>
}

export const summary: SummaryMock = {
  addRaw: jest.fn<(text: string, addEOL?: boolean) => SummaryMock>(() => summary),
  write: jest.fn<(options?: WriteOptions) => Promise<SummaryMock>>(async () => summary)
}

/** Serve inputs from a record, as the runner does: unset inputs read as ''. */
export function useInputs(inputs: Record<string, string>): void {
  getInput.mockImplementation((name: string) => inputs[name] ?? '')
}

/** The outputs set so far, in order, as [name, value] pairs. */
export function outputs(): [string, unknown][] {
  return setOutput.mock.calls.map(([name, value]) => [name, value])
}
