// Tests with real redis-servers: skipped with a clear message where none is installed.
import { spawnSync } from 'node:child_process'
import { createConnection } from 'node:net'
import { createClient } from 'redis'

const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
/** undefined when a redis-server is on PATH, else why the tests skip */
export const noRedis: string | undefined = probe.status === 0 && /Redis server v=/.test(probe.stdout)
  ? undefined
  : 'no redis-server on PATH: install it (Debian: apt-get install redis-server) to run the real-Redis tests'

export type Client = ReturnType<typeof createClient>

/** A connected client (no reconnects); rejects when the server refuses the login. */
export async function redisClient (port: number, auth: { username?: string, password?: string } = {}, host = '127.0.0.1'): Promise<Client> {
  const client = createClient({ socket: { host, port, reconnectStrategy: false, connectTimeout: 3000 }, ...auth })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** The error (message) a login gets, or 'ok'. */
export async function loginOutcome (port: number, auth: { username?: string, password?: string }): Promise<string> {
  try {
    // connect() sends AUTH: a refused login rejects here
    const c = await redisClient(port, auth)
    await c.disconnect()
    return 'ok'
  } catch (e) {
    return (e as Error).message
  }
}

/** 'open' when something accepts TCP connections on the port, else the error code. */
export const portState = (port: number, host = '127.0.0.1'): Promise<string> => new Promise(resolve => {
  const s = createConnection({ host, port })
  s.once('connect', () => { s.destroy(); resolve('open') })
  s.once('error', e => resolve((e as NodeJS.ErrnoException).code ?? e.message))
})

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Polls `check` until it returns true (or throws after `ms`). */
export async function eventually (what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return
    await sleep(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Whether a process with this pid is alive. */
export function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
