// Preloaded into the action's process by the benchmark only (NODE_OPTIONS=--import): writes the
// process's peak resident set size, in KiB, to BENCH_PEAK_RSS_FILE as it exits. The action
// itself is the built dist/index.js, unchanged.
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_PEAK_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
