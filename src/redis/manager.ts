// One redis-server per database of the state (src/redis/): started when the database appears,
// reconfigured live when it, its users, roles or ACLs change, stopped when it goes. It follows
// the store through its change and reset listeners and never changes the store's rules itself.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '../store/index.js'
import type { Bdb } from '../schemas/bdb.js'
import type { Log } from '../base/log.js'
import { bdbEndpointUnavailable } from '../base/errors.js'
import { boundPort } from '../store/databases/index.js'
import { configFile, serverSettings, sha256, type ServerSettings } from './settings.js'
import { ServerProcess } from './server-process.js'
import { parseInfo, sampleOf, SampleHistory } from './live-stats.js'
import { markDown, markedDown, markUp } from './health-marks.js'

export interface RedisManagerOptions {
  binary: string
  /** address the servers listen on */
  host: string
  /** where each database's directory lives */
  root: string
  /** most servers at once */
  max: number
  log: Log
  /** ms between INFO polls (stats, and a check that every server is as the state says) */
  pollMs?: number
  /** listen on the addresses of the database's endpoint (its nodes') instead of `host` */
  bindEndpoints?: boolean
}

interface Entry {
  uid: number
  /** the database's created_time: a later database with the same uid is another one */
  identity: string
  /** the reset it was started after: a reset brings every database back to its start */
  resetGen: number
  proc: ServerProcess
  applied?: ServerSettings
  history: SampleHistory
  stopping: boolean
  down: boolean
  restarts: number
  restartTimer?: NodeJS.Timeout
  /** its server answers with every setting and ACL user applied */
  serving: boolean
  /** settles when the current process answers (or failed to start) */
  starting: Promise<void>
  /** why its server is not running, while `down` */
  why?: string
}

/** Splits ACL rules into SETUSER arguments, a selector `( … )` staying one argument. */
export function ruleArgs (rules: string): string[] {
  return rules.match(/\([^)]*\)|\S+/g) ?? []
}

export class RedisManager {
  private readonly entries = new Map<number, Entry>()
  private readonly secret = randomBytes(24).toString('hex')
  private readonly seenActions = new Set<string>()
  private resets = 0
  private running?: Promise<void>
  private again = false
  private closed = false
  private warnedOver = false
  private readonly timer: NodeJS.Timeout

  constructor (private readonly store: Store, private readonly opts: RedisManagerOptions) {
    for (const a of store.state.actions) this.seenActions.add(a.uid)
    store.onChange(() => this.schedule())
    store.onReset(() => { this.resets++; this.schedule() })
    this.timer = setInterval(() => { void this.poll() }, opts.pollMs ?? 1000)
    this.timer.unref()
    this.schedule()
  }

  get size (): number { return this.entries.size }
  /** ports the servers of this manager listen on (or are about to) */
  ports (): Set<number> { return new Set([...this.entries.values()].map(e => e.proc.spec.port)) }
  /** POST /v1/bdbs/{uid}/command: one command on the database's server, its reply as parsed. */
  async command (uid: number, args: string[]): Promise<unknown> {
    const e = this.entries.get(uid)
    if (e === undefined || !e.serving) throw bdbEndpointUnavailable(uid)
    return await e.proc.call(...args)
  }

  /** what INFO said about a database's server, per stats bucket */
  history (uid: number): SampleHistory | undefined { return this.entries.get(uid)?.history }
  pid (uid: number): number | undefined { return this.entries.get(uid)?.proc.pid }

  /** Reconciles soon; calls while one runs make it run once more. */
  schedule (): void {
    if (this.closed) return
    if (this.running !== undefined) {
      this.again = true
      return
    }
    this.running = (async () => {
      do {
        this.again = false
        await new Promise(resolve => setImmediate(resolve))
        await this.reconcile()
      } while (this.again && !this.closed)
      this.running = undefined
    })()
  }

  /** Why the database's server cannot run, while it does not (undefined: it runs or is starting). */
  failed (uid: number): string | undefined {
    const e = this.entries.get(uid)
    return e?.down === true && !e.serving ? e.why ?? 'redis-server is not running' : undefined
  }

  /** Whether the database's server answers (true for a database past the maximum: none is coming). */
  answering (uid: number): boolean {
    const bdb = this.store.state.bdbs.get(uid)
    if (bdb === undefined || this.closed || !this.wanted().includes(bdb)) return true
    const e = this.entries.get(uid)
    // the server of this database, as it is now (not one on its former port, nor before a reset)
    return e !== undefined && e.serving && e.proc.spec.port === boundPort(bdb) &&
      e.identity === bdb.created_time && e.resetGen === this.resets
  }

  /** The databases that run a server: a database being deleted stops at once (its data is gone for clients). */
  private wanted (): Bdb[] {
    return [...this.store.state.bdbs.values()].filter(b => b.status !== 'delete-pending').sort((a, b) => a.uid - b.uid).slice(0, this.opts.max)
  }

  /** Resolves once the servers match the state as it is now and answer. */
  async settled (): Promise<void> {
    do {
      await this.running
      await Promise.all([...this.entries.values()].map(async e => await e.starting))
    } while (this.running !== undefined)
  }

  private dir (uid: number): string { return join(this.opts.root, `bdb-${uid}`) }

  private async reconcile (): Promise<void> {
    const { state } = this.store
    const wanted = this.wanted()
    const over = state.bdbs.size > this.opts.max
    if (over && !this.warnedOver) this.opts.log.warn({}, `${state.bdbs.size} databases and --redis-max ${this.opts.max}: those past it have no redis-server`)
    this.warnedOver = over
    const keep = new Set(wanted.map(b => b.uid))
    for (const [uid, e] of this.entries) {
      if (!keep.has(uid)) await this.remove(e, true)
    }
    for (const bdb of wanted) {
      if (this.closed) return
      const port = boundPort(bdb)
      const e = this.entries.get(bdb.uid)
      if (e !== undefined) {
        const other = e.identity !== bdb.created_time || e.resetGen !== this.resets
        if (other || e.proc.spec.port !== port) await this.remove(e, other)
      }
      const entry = this.entries.get(bdb.uid) ?? this.start(bdb, port)
      if (entry.applied !== undefined && entry.proc.client !== undefined) await this.apply(entry, this.settings(bdb, port))
    }
    await this.flushes()
  }

  /** FLUSHALL for every flush_bdb task not seen before. */
  private async flushes (): Promise<void> {
    const current = new Set<string>()
    for (const a of this.store.state.actions) {
      current.add(a.uid)
      if (this.seenActions.has(a.uid)) continue
      this.seenActions.add(a.uid)
      const e = a.name === 'flush_bdb' && a.bdbUid !== undefined ? this.entries.get(a.bdbUid) : undefined
      if (e?.applied !== undefined) await this.send(e, 'FLUSHALL')
    }
    for (const uid of this.seenActions) if (!current.has(uid)) this.seenActions.delete(uid)
  }

  private start (bdb: Bdb, port: number): Entry {
    const dir = this.dir(bdb.uid)
    // A directory left by an earlier database with this uid is not this one's data.
    let previous: string | undefined
    try { previous = readFileSync(join(dir, 'identity'), 'utf8') } catch {}
    if (previous !== undefined && previous !== bdb.created_time) rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(join(dir, 'identity'), bdb.created_time)
    const entry = { uid: bdb.uid, identity: bdb.created_time, resetGen: this.resets, history: new SampleHistory(), stopping: false, serving: false, down: markedDown(this.store, bdb.uid), restarts: 0 } as Entry
    this.entries.set(bdb.uid, entry)
    this.spawn(entry, bdb, port)
    return entry
  }

  private settings (bdb: Bdb, port: number): ServerSettings {
    const endpoint = this.opts.bindEndpoints === true ? bdb.endpoints?.[0]?.addr : undefined
    return serverSettings(this.store.state, bdb, port, endpoint !== undefined && endpoint.length > 0 ? [...endpoint] : [this.opts.host])
  }

  /** Writes the config file from the state as it is now and starts the server on it. */
  private spawn (entry: Entry, bdb: Bdb, port: number): void {
    const dir = this.dir(bdb.uid)
    const settings = this.settings(bdb, port)
    const conf = join(dir, 'redis.conf')
    writeFileSync(conf, configFile(settings, { dir, internalSha: sha256(this.secret) }), { mode: 0o600 })
    const host = settings.bind[0] === '0.0.0.0' ? '127.0.0.1' : settings.bind[0]
    entry.proc = new ServerProcess({ binary: this.opts.binary, conf, host, port, secret: this.secret }, (code, output) => this.exited(entry, code, output))
    entry.starting = entry.proc.ready().then(async () => {
      // The config file set the server up but for its ACL users and stopped traffic: those come live.
      entry.applied = { ...settings, users: new Map(), stopped: false }
      await this.apply(entry, settings)
      entry.serving = entry.applied !== undefined
      if (entry.down) {
        entry.down = false
        entry.why = undefined
        if (entry.restarts > 0) this.opts.log.info({ bdb_uid: entry.uid, port }, `redis-server of database ${entry.uid} answers on port ${port} again`)
        markUp(this.store, entry.uid)
      }
      entry.restarts = 0
      this.schedule()
    }, (e: Error) => {
      // an exit was logged by exited(), once per failure: this is a server that never answered
      if (!entry.stopping && !entry.down) this.opts.log.warn({ bdb_uid: entry.uid }, e.message)
    })
  }

  /** An exit nobody asked for: the database is unavailable until the server is back. */
  private exited (entry: Entry, code: number | null, output: string): void {
    entry.applied = undefined
    entry.serving = false
    if (entry.stopping || this.closed || this.entries.get(entry.uid) !== entry) return
    const last = output.trim().split('\n').at(-1)?.replace(/^\d+:[A-Z] [^#*]*[#*] /, '') ?? ''
    const why = code === null ? last : `redis-server exited with status ${code}${last === '' ? '' : `: ${last}`}`
    // Said once per failure, not at every retry (a port held elsewhere fails each one the same way).
    if (!entry.down) {
      entry.down = true
      entry.why = why
      this.opts.log.warn({ bdb_uid: entry.uid, code }, `database ${entry.uid} is unavailable: ${why}. Its redis-server is retried every few seconds; the database shows status recovery until it answers`)
      markDown(this.store, entry.uid, why.startsWith('redis-server') ? why : `redis-server not started: ${why}`)
    } else {
      this.opts.log.debug({ bdb_uid: entry.uid, code }, `redis-server of database ${entry.uid} failed again: ${why}`)
    }
    const delay = Math.min(5000, 100 * 2 ** entry.restarts++)
    entry.restartTimer = setTimeout(() => {
      const bdb = this.store.state.bdbs.get(entry.uid)
      if (bdb === undefined || this.closed || entry.stopping) return
      this.spawn(entry, bdb, entry.proc.spec.port)
    }, delay)
  }

  private async remove (e: Entry, wipe: boolean): Promise<void> {
    e.stopping = true
    clearTimeout(e.restartTimer)
    this.entries.delete(e.uid)
    await e.proc.stop()
    if (wipe) rmSync(this.dir(e.uid), { recursive: true, force: true })
  }

  private async send (e: Entry, ...args: string[]): Promise<boolean> {
    try {
      await e.proc.call(...args)
      return true
    } catch (err) {
      this.opts.log.warn({ bdb_uid: e.uid }, `redis-server of database ${e.uid} refused ${args.slice(0, 3).join(' ')}: ${(err as Error).message}`)
      return false
    }
  }

  /** Brings a running server from what was applied to `next`: only the differences are sent. */
  private async apply (e: Entry, next: ServerSettings): Promise<void> {
    const done = e.applied
    if (done === undefined) return
    e.applied = next
    for (const [k, v] of Object.entries(next.live)) {
      if (done.live[k as keyof typeof next.live] !== v) await this.send(e, 'CONFIG', 'SET', k, v)
    }
    // The endpoint moved to other nodes (a failover, a migration): the server listens there, data kept.
    if (done.bind.join(' ') !== next.bind.join(' ')) await this.send(e, 'CONFIG', 'SET', 'bind', next.bind.join(' '))
    if (done.defaultUser !== next.defaultUser) await this.send(e, 'ACL', 'SETUSER', 'default', 'reset', ...ruleArgs(next.defaultUser))
    for (const [name, rules] of next.users) {
      if (done.users.get(name) !== rules) await this.send(e, 'ACL', 'SETUSER', name, 'reset', ...ruleArgs(rules))
    }
    for (const name of done.users.keys()) if (!next.users.has(name)) await this.send(e, 'ACL', 'DELUSER', name)
    if (done.stopped !== next.stopped) await this.traffic(e, next)
  }

  /**
   * stop_traffic unbinds the port (docs/decisions.md #43): the server closes its listener and its
   * clients, the mock's own connection (SKIPME) and the data stay; resume_traffic listens again.
   */
  private async traffic (e: Entry, next: ServerSettings): Promise<void> {
    if (!next.stopped) {
      await this.send(e, 'CONFIG', 'SET', 'port', String(next.port))
      return
    }
    await this.send(e, 'CONFIG', 'SET', 'port', '0')
    for (const type of ['normal', 'pubsub']) await this.send(e, 'CLIENT', 'KILL', 'TYPE', type, 'SKIPME', 'yes')
  }

  private async poll (): Promise<void> {
    for (const e of this.entries.values()) {
      if (e.applied === undefined || e.proc.client === undefined) continue
      try {
        const info = String(await e.proc.call('INFO'))
        e.history.add(sampleOf(info, Date.now(), e.proc.ownCommands))
        e.history.info = parseInfo(info)
      } catch {}
    }
    this.schedule()
  }

  /** Stops every server; the data directories stay unless `wipeRoot` (no state file). */
  async close (wipeRoot: boolean): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    await this.running
    await Promise.all([...this.entries.values()].map(async e => await this.remove(e, false)))
    if (wipeRoot) rmSync(this.opts.root, { recursive: true, force: true })
  }

  /** Synchronous last resort when the process exits without close(). */
  killAll (): void { for (const e of this.entries.values()) e.proc.killNow() }

  /** Removes directories of databases the state does not hold (an earlier run's). */
  sweep (): void {
    let names: string[] = []
    try { names = readdirSync(this.opts.root) } catch {}
    for (const name of names) {
      const uid = Number(/^bdb-(\d+)$/.exec(name)?.[1])
      if (Number.isInteger(uid) && !this.store.state.bdbs.has(uid)) rmSync(join(this.opts.root, name), { recursive: true, force: true })
    }
  }
}
