// Types of sample.mjs, for script/render-docs-images.ts.
export declare const AS_OF: number
export declare const SAMPLE: string
export declare const DEMO_FLAGS: readonly string[]
export declare function shiftDates(csv: string, days: number): string
export declare function daysSinceAsOf(now: Date): number
export declare function sampleAsOf(now: Date): string
