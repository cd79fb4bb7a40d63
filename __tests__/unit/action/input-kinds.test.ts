import { describe, expect, it } from '@jest/globals'
import { optional, splitList, wholeNumber } from '../../../src/action/input-kinds.js'

describe('splitList', () => {
  it('splits on commas and newlines, trims and drops empty items', () => {
    expect(splitList('a, b\n c,,\n\nd ')).toEqual(['a', 'b', 'c', 'd'])
    expect(splitList('')).toEqual([])
    expect(splitList(' , \n ')).toEqual([])
  })
})

describe('input kinds', () => {
  it('optional: empty is null, anything else goes to the kind it wraps', () => {
    const seconds = optional(wholeNumber(1, 10, 'seconds'))
    expect(seconds('')).toEqual({ value: null })
    expect(seconds('3')).toEqual({ value: 3 })
    expect(seconds('11')).toEqual({ problem: '"11" is not accepted; use a whole number of seconds from 1 to 10' })
  })
})
