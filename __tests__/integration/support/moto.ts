// A moto_server of our own for one test file, run under libfaketime so a test can create
// keys "in the past": write an offset such as `-200d` with setClock(), create, then setClock('+0').
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const FAKETIME_LIBS = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1'
]

export interface MotoServer {
  endpoint: string
  /** libfaketime offset for everything moto does from now on: `-200d`, `-90d`, `+0`. */
  setClock(offset: string): void
  /** The last few KB moto printed. */
  log(): string
  stop(): Promise<void>
}

export interface MotoOptions {
  /** Added to moto_server's environment (the benchmarks add a PYTHONPATH). */
  env?: Record<string, string>
}

const INSTALL_HINT =
  'Install them with: pip install "moto[server]" (moto_server) and apt-get install -y faketime (libfaketime).'

function faketimeLib(): string | undefined {
  return FAKETIME_LIBS.find((p) => existsSync(p))
}

/**
 * The environment that runs a process (the built action) `offset` from now, as on a later day:
 * libfaketime, as moto uses, with a fixed offset such as `+1d`.
 */
export function faketimeEnv(offset: string): Record<string, string> {
  const lib = faketimeLib()
  if (!lib) throw new Error(`libfaketime not found. ${INSTALL_HINT}`)
  return { LD_PRELOAD: lib, FAKETIME: offset, FAKETIME_NO_CACHE: '1' }
}

function motoInstalled(): boolean {
  return spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0
}

/**
 * Whether the integration tests can run here. With CI=true a missing tool is a failure,
 * never a skip; elsewhere the tests skip and say loudly why.
 */
export function motoAvailability(): { available: boolean; reason: string } {
  const missing = [motoInstalled() ? null : 'moto_server', faketimeLib() ? null : 'libfaketime'].filter(Boolean)
  if (missing.length === 0) return { available: true, reason: '' }
  const reason = `${missing.join(' and ')} not found. ${INSTALL_HINT}`
  if (process.env.CI === 'true') throw new Error(`CI=true, and the integration tests cannot run: ${reason}`)
  console.warn(`\n*** SKIPPING integration tests: ${reason} ***\n`)
  return { available: false, reason }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilUp(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log()}`)
    try {
      const res = await fetch(`${endpoint}/moto-api/`)
      if (res.status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 30 s: ${log()}`)
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const lib = faketimeLib()
  if (!lib) throw new Error(`libfaketime not found. ${INSTALL_HINT}`)
  const dir = mkdtempSync(join(tmpdir(), 'moto-'))
  const clockFile = join(dir, 'faketime')
  writeFileSync(clockFile, '+0\n')
  const port = await freePort()
  let output = ''
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      LD_PRELOAD: lib,
      FAKETIME_TIMESTAMP_FILE: clockFile,
      FAKETIME_NO_CACHE: '1',
      // moto serves one request at a time; a faked monotonic clock makes it 4x slower.
      FAKETIME_DONT_FAKE_MONOTONIC: undefined,
      ...options.env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)))
  child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)))
  const endpoint = `http://127.0.0.1:${port}`
  await waitUntilUp(endpoint, child, () => output)
  return {
    endpoint,
    // Written aside, then renamed over: libfaketime reads the file on every clock call, and a
    // file caught between truncation and write reads as no offset (a key made "now", not 200
    // days ago, which a loaded machine hit once in 2,400 keys).
    setClock: (offset) => {
      writeFileSync(`${clockFile}.next`, `${offset}\n`)
      renameSync(`${clockFile}.next`, clockFile)
    },
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}
