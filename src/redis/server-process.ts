// One redis-server child. It runs in its own process group behind a watchdog: the shell that
// starts it keeps a pipe from the mock open and stops the server when the pipe reaches EOF, which
// also happens when the mock is killed outright (SIGKILL), so no server outlives the mock.
import { spawn, type ChildProcess } from 'node:child_process'
import { RespClient } from './resp.js'
import { INTERNAL_USER } from './settings.js'
import { listenerOf, listeningPorts } from './ports.js'

// fd 3 keeps the pipe for the watchdog; the server itself gets neither; `exec` keeps the pid.
const WATCHDOG = 'exec 3<&0; (cat <&3 >/dev/null; kill -TERM $$ 2>/dev/null) & exec "$@" </dev/null 3<&-'
const READY_WITHIN_MS = 10_000
const STOP_WITHIN_MS = 10_000

export interface ServerSpec { binary: string, conf: string, host: string, port: number, secret: string }

export class ServerProcess {
  private child?: ChildProcess
  private output = ''
  client?: RespClient
  /** commands the mock sent (not counted as the database's traffic) */
  ownCommands = 0
  readonly exited: Promise<number | null>

  constructor (readonly spec: ServerSpec, onExit: (code: number | null, output: string) => void) {
    // A port another process listens on is not tried: the mock must never log in to, or talk
    // to, a redis-server it did not start (docs/redis.md#many-mocks-on-one-machine).
    if (listeningPorts()?.has(spec.port) === true) {
      this.output = `port ${spec.port} is held by another process`
      this.exited = new Promise(resolve => queueMicrotask(() => { onExit(null, this.output); resolve(null) }))
      return
    }
    const child = spawn('/bin/sh', ['-c', WATCHDOG, 'sh', spec.binary, spec.conf], {
      detached: true, stdio: ['pipe', 'pipe', 'pipe']
    })
    this.child = child
    const keep = (c: Buffer): void => { this.output = (this.output + c.toString()).slice(-4000) }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    child.stdin?.on('error', () => {})
    this.exited = new Promise(resolve => {
      child.once('exit', (code, signal) => {
        this.client?.close()
        this.client = undefined
        // The watchdog is left in the group: end it too.
        try { process.kill(-child.pid!, 'SIGKILL') } catch {}
        child.stdin?.destroy()
        this.child = undefined
        const status = code ?? (signal === null ? null : 128)
        onExit(status, this.output)
        resolve(status)
      })
      child.once('error', e => {
        this.output += String(e)
        this.child = undefined
        onExit(null, this.output)
        resolve(null)
      })
    })
  }

  get pid (): number | undefined { return this.child?.pid }
  get running (): boolean { return this.child !== undefined }
  get log (): string { return this.output }

  /** Resolves once the server answers the mock's login; rejects if it exits or never does. */
  async ready (): Promise<RespClient> {
    const deadline = Date.now() + READY_WITHIN_MS
    let last: unknown
    while (this.running && Date.now() < deadline) {
      // Connect only once the listener is this server's own (docs/redis.md#many-mocks-on-one-machine).
      if (listenerOf(this.child!.pid!, this.spec.port) === false) {
        await new Promise(resolve => setTimeout(resolve, 25))
        continue
      }
      try {
        this.client = await RespClient.open(this.spec.host, this.spec.port, INTERNAL_USER, this.spec.secret)
        return this.client
      } catch (e) {
        last = e
        await new Promise(resolve => setTimeout(resolve, 25))
      }
    }
    throw new Error(`redis-server on port ${this.spec.port} did not start: ${this.running ? String(last) : this.output.trim().split('\n').slice(-2).join(' ')}`)
  }

  async call (...args: string[]): Promise<unknown> {
    if (this.client === undefined || this.client.closed) throw new Error('not connected')
    this.ownCommands++
    return await this.client.call(...args)
  }

  /** SIGTERM (the server saves what its persistence asks), SIGKILL if it takes too long. */
  async stop (): Promise<void> {
    const child = this.child
    if (child === undefined) return
    try { child.kill('SIGTERM') } catch {}
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, STOP_WITHIN_MS)
    await this.exited
    clearTimeout(timer)
  }

  /** Last resort at process exit: synchronous, no waiting. */
  killNow (): void {
    if (this.child?.pid !== undefined) try { process.kill(-this.child.pid, 'SIGTERM') } catch {}
  }
}
