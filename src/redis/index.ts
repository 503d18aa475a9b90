// --redis: every database of the state is a real redis-server (manager.ts). Wired into an app
// and its store with a few hooks; nothing here when it is off.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { bdbEndpointUnavailable, insufficientResources, isApiError } from '../base/errors.js'
import { DEFAULT_REDIS_MAX, resolveRedis } from './binary.js'
import { listeningPorts } from './ports.js'
import { RedisManager } from './manager.js'
import { RespError, Status } from './resp.js'
import { placeDatabases } from './db-ports.js'
import { DEFAULT_DB_PORTS, type CommandReply, type PortRange } from '../store/databases/index.js'

export { RedisManager } from './manager.js'
export { DEFAULT_REDIS_MAX } from './binary.js'

export interface RedisSetup {
  /** auto (a redis-server on PATH, if any), off (default) or the path of a redis-server */
  redis?: string
  /** most databases with a server (default 50) */
  redisMax?: number
  /** address the servers listen on (default 127.0.0.1) */
  redisHost?: string
  /** with a state file, each database's data lives beside it in `<state file>.redis/` */
  stateFile?: string
  /** ms between INFO polls (default 1000) */
  redisPollMs?: number
  /** the nodes' own addresses (--node-addresses): each server listens where its endpoint is */
  nodeAddresses?: readonly string[]
  /** the ports its databases get (--db-ports, resolved) */
  dbPorts?: PortRange
}

/** The address endpoints report for servers listening on `host`. */
const reported = (host: string): string => host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host

function pointEndpoints (store: Store, addr: string): void {
  for (const bdb of store.state.bdbs.values()) {
    for (const ep of bdb.endpoints ?? []) if (ep.addr.length !== 1 || ep.addr[0] !== addr) ep.addr = [addr]
  }
}

/**
 * Starts the servers of `store`'s databases and keeps them in step; stopped by app.close().
 * Throws ConfigError when `setup.redis` names something that is not a redis-server.
 */
export function attachRedis (app: FastifyInstance, store: Store, setup: RedisSetup): RedisManager | undefined {
  const resolved = resolveRedis(setup.redis)
  if (resolved.binary === undefined) {
    if (resolved.why !== undefined) app.mockLog.warn({}, resolved.why)
    return undefined
  }
  const host = setup.redisHost ?? '127.0.0.1'
  const max = setup.redisMax ?? DEFAULT_REDIS_MAX
  const keep = setup.stateFile !== undefined
  const root = keep ? `${resolve(setup.stateFile!)}.redis` : mkdtempSync(join(tmpdir(), 'rs-mock-redis-'))
  const addr = reported(host)
  // Nodes with addresses of their own (docs/redis.md): the store places each endpoint on its
  // nodes' addresses and the server binds those. Otherwise every server is on the one host.
  const perNode = (setup.nodeAddresses?.length ?? 0) > 1
  if (!perNode) {
    pointEndpoints(store, addr)
    store.onReset(() => pointEndpoints(store, addr))
  }
  let seen: Set<number> | undefined
  // the manager's ports once it exists (the databases are placed before it starts a server)
  const ours = { ports: () => new Set<number>() }
  const portBusy = (port: number): boolean => {
    if (ours.ports().has(port)) return false // one of ours: the store's own rules decide
    // One look at the host per burst of questions: allocation asks port after port in one
    // synchronous run. The next run looks again, so a listener opened since is seen at once.
    if (seen === undefined) {
      seen = listeningPorts() ?? new Set()
      queueMicrotask(() => { seen = undefined })
    }
    return seen.has(port)
  }
  // Before the first server starts: a fixture port another process holds moves (decisions #59).
  placeDatabases(store, setup.dbPorts ?? DEFAULT_DB_PORTS, app.mockLog, portBusy)
  const servers = new RedisManager(store, { binary: resolved.binary.path, host, root, max, log: app.mockLog, pollMs: setup.redisPollMs, bindEndpoints: perNode })
  ours.ports = () => servers.ports()
  if (keep) servers.sweep()
  store.bdbs.host = {
    address: perNode ? undefined : addr,
    portBusy,
    answering: uid => servers.answering(uid),
    failed: uid => servers.failed(uid),
    checkCapacity: () => {
      if (store.state.bdbs.size >= max) {
        throw insufficientResources(`Each database runs a redis-server and ${max} already exist (--redis-max ${max})`)
      }
    }
  }
  store.stats.live = (bdb, start, len) => servers.history(bdb.uid)?.metrics(start, len)
  store.stats.liveInfo = uid => servers.history(uid)?.info
  store.bdbCommands.run = async (uid, args) => {
    try {
      return asCommandReply(await servers.command(uid, args))
    } catch (e) {
      if (e instanceof RespError) return { error: e.message } // the server's error reply
      if (isApiError(e)) throw e
      throw bdbEndpointUnavailable(uid) // the connection to the server went away
    }
  }
  const onExit = (): void => servers.killAll()
  process.once('exit', onExit)
  app.addHook('onClose', async () => {
    process.removeListener('exit', onExit)
    delete store.bdbs.host
    delete store.stats.live
    delete store.stats.liveInfo
    delete store.bdbCommands.run
    await servers.close(!keep)
  })
  app.mockLog.info({ redis: resolved.binary.path, version: resolved.binary.version }, `databases run on redis-server ${resolved.binary.version}`)
  return servers
}

/** A parsed RESP reply in the shape POST /v1/bdbs/{uid}/command turns into JSON. */
function asCommandReply (r: unknown): CommandReply {
  if (r instanceof Status) return { status: r.text }
  if (r instanceof Error) return { error: r.message }
  if (Array.isArray(r)) return r.map(asCommandReply)
  return r as CommandReply
}
