// startServer: config → certificate → scenario → store (→ state file) → app → listen.
import type { FastifyInstance } from 'fastify'
import { networkInterfaces } from 'node:os'
import { ConfigError, defaultFixturesDir, parseDbPorts, type Config } from './config.js'
import { loadTls } from './tls.js'
import { loadSeedSource } from './fixtures.js'
import { createStore, type Clock, type Seed, type SeedSource, type Store } from './store/index.js'
import { buildApp } from './app.js'
import { loadScenario } from './control/scenarios.js'
import { attachStateFile, type StateFile } from './persistence.js'
import { isApiError } from './base/errors.js'
import { loggerOptions, resolveLogFormat } from './base/log-format.js'
import { attachRedis } from './redis/index.js'
import { placeDatabases, reserveDbPorts, type DbPorts } from './redis/db-ports.js'
import { metricsPort, parseMetricsPort, startExporters } from './metrics/index.js'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly store: Store
  /** https://host:port with the real port (useful with port 0) */
  readonly url: string
  readonly port: number
  /** the certificate served, PEM: trust it instead of disabling verification */
  readonly ca: string
  /** set with --state-file */
  readonly stateFile?: StateFile
  /** one listener per node; node 1's is `app`/`url`/`port` */
  readonly nodes: readonly NodeListener[]
  /** the metrics exporter of each node (none with --metrics-port off) */
  readonly metrics: ReadonlyArray<{ uid: number, url: string, port: number }>
  close(): Promise<void>
}

export interface NodeListener {
  readonly uid: number
  readonly url: string
  readonly port: number
  readonly app: FastifyInstance
}

export interface StoreSetup {
  /** a built-in scenario name or a fixture directory (wins over `fixtures`) */
  scenario?: string
  fixtures?: string
  freshNode?: boolean
  admin?: { email?: string, password?: string }
  transitionDelayMs?: number
  clock?: Clock
  stateFile?: string
  /** nodes in the cluster (default 1, or the scenario's) */
  nodes?: number
  /** each node's address (--node-addresses) */
  nodeAddresses?: readonly string[]
}

/** The store a server or a library instance starts with; ConfigError when it cannot be made. */
export function prepareStore (setup: StoreSetup): { store: Store, scenario: string, stateFile?: StateFile } {
  let seed: Seed | SeedSource, freshNode, name
  let scenarioNodes: number | undefined
  if (setup.scenario !== undefined) {
    try {
      const scenario = loadScenario(setup.scenario)
      ;({ seed, freshNode, name } = scenario)
      scenarioNodes = scenario.nodes
    } catch (e) {
      if (isApiError(e)) throw new ConfigError(`Cannot load the scenario ${JSON.stringify(setup.scenario)}: ${e.message.replace(/\.$/, '')}.`)
      throw e
    }
  } else {
    const dir = setup.fixtures ?? defaultFixturesDir
    seed = loadSeedSource(dir)
    freshNode = false
    name = dir === defaultFixturesDir ? 'default' : dir
  }
  const store = createStore(seed, {
    freshNode: setup.freshNode === true || freshNode,
    admin: setup.admin,
    clock: setup.clock,
    nodes: setup.nodes ?? scenarioNodes,
    nodeAddresses: setup.nodeAddresses,
    transitionDelayMs: setup.transitionDelayMs
  })
  if (setup.freshNode === true && name === 'default') name = 'fresh-node'
  const stateFile = setup.stateFile === undefined ? undefined : attachStateFile(store, setup.stateFile)
  return { store, scenario: name, stateFile }
}

/**
 * The database ports: `withRedis` places the databases itself (it knows which ports other
 * processes hold) and answers undefined when there is no redis-server; then they are placed here.
 */
export function attachPorts<T> (app: FastifyInstance, store: Store, ports: DbPorts, withRedis: (range: DbPorts['range']) => T | undefined): T | undefined {
  app.addHook('onClose', ports.release)
  const redis = withRedis(ports.range)
  if (redis === undefined) placeDatabases(store, ports.range, app.mockLog)
  return redis
}

/** `::` listens dual-stack (IPv6 and IPv4); on a machine without IPv6 that is 0.0.0.0. */
export function wildcardHost (host: string, interfaces = networkInterfaces()): string {
  if (host !== '::') return host
  return Object.values(interfaces).some(list => list?.some(i => i.family === 'IPv6')) ? host : '0.0.0.0'
}

/** Listens on HOST:PORT (0: any free port); the port taken and the https URL to it. */
export async function listen (app: FastifyInstance, port: number, host: string): Promise<{ port: number, url: string }> {
  try {
    await app.listen({ port, host })
  } catch (e) {
    await app.close() // a port in use must not leave an app (and its hooks) behind
    throw e
  }
  const address = app.server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  // Every address, IPv6 and IPv4: localhost reaches it whichever it resolves to.
  const shown = host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return { port: bound, url: `https://${shown}:${bound}` }
}

export async function startServer (config: Config): Promise<RunningServer> {
  const tls = await loadTls({ ...config, certNames: [...config.certNames, ...config.nodeAddresses] })
  const { store, scenario, stateFile } = prepareStore({
    scenario: config.scenario,
    fixtures: config.fixtures,
    freshNode: config.freshNode,
    admin: { email: config.adminEmail, password: config.adminPassword },
    transitionDelayMs: config.transitionDelayMs,
    stateFile: config.stateFile,
    nodes: config.nodes,
    nodeAddresses: config.nodeAddresses
  })
  const options = {
    store,
    https: { cert: tls.cert, key: tls.key },
    logger: loggerOptions(config.logLevel, resolveLogFormat(config.logFormat)),
    bodyLimit: config.bodyLimit,
    maxHeaderSize: config.maxHeaderSize,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    handshakeTimeout: config.handshakeTimeoutMs,
    maxConnections: config.maxConnections,
    control: {
      enabled: config.control,
      token: config.controlToken,
      journalSize: config.journalSize,
      maxFaults: config.maxFaults,
      scenario
    }
  }
  const dbPorts = await reserveDbPorts(parseDbPorts(config.dbPorts, '--db-ports'))
  const app = await buildApp(options)
  let redis
  try {
    redis = attachPorts(app, store, dbPorts, range => attachRedis(app, store, { redis: config.redis, redisMax: config.redisMax, redisHost: config.redisHost, stateFile: config.stateFile, nodeAddresses: config.nodeAddresses, dbPorts: range }))
  } catch (e) {
    await app.close()
    throw e
  }
  if (tls.replaced !== undefined) app.mockLog.warn({ certs_dir: config.certsDir }, `generated a new certificate in ${config.certsDir}: ${tls.replaced}`)
  const addresses = config.nodeAddresses
  const nodes = await listenNodes(store, app, uid => buildApp({ ...options, node: { uid, control: app.mockControl } }), (_uid, i) => ({
    port: addresses.length > 0 || config.port === 0 ? config.port : config.port + i,
    host: addresses[i] ?? wildcardHost(config.host)
  }))
  const exporterPort = metricsPort(parseMetricsPort(config.metricsPort) ?? 'auto', config.port)
  let exporters
  try {
    exporters = exporterPort === undefined
      ? undefined
      : await startExporters({
        store, control: app.mockControl, tls, port: exporterPort, host: wildcardHost(config.host), nodeAddresses: addresses, nodes,
        live: redis === undefined ? undefined : uid => redis.history(uid)?.latest
      })
  } catch (e) {
    await closeNodes(nodes)
    throw e
  }
  const { url, port } = nodes[0]
  const metrics = (exporters?.list ?? []).map(({ uid, url, port }) => ({ uid, url, port }))
  return { app, store, url, port, ca: tls.cert, stateFile, nodes, metrics, close: async () => { await Promise.all([closeNodes(nodes), exporters?.close()]) } }
}

/**
 * One listener per node of the store: node 1's app is FIRST, the others are made by MAKE and
 * share its store and test control. If one cannot listen, those already listening close.
 */
export async function listenNodes (
  store: Store, first: FastifyInstance, make: (uid: number) => Promise<FastifyInstance>,
  where: (uid: number, index: number) => { port: number, host: string }
): Promise<NodeListener[]> {
  // nodes that joined from another process have their own listener there (docs/decisions.md #51)
  const remote = new Set(store.membership.remote.map(r => r.uid))
  const member = store.master.member
  const uids = member !== undefined ? [member.uid] : [...store.state.nodes.keys()].filter(uid => !remote.has(uid)).sort((a, b) => a - b)
  const nodes: NodeListener[] = []
  try {
    for (const [i, uid] of (uids.length > 0 ? uids : [1]).entries()) {
      const app = i === 0 ? first : await make(uid)
      const { port, host } = where(uid, i)
      nodes.push({ uid, app, ...await listen(app, port, host) })
    }
  } catch (e) {
    await closeNodes(nodes) // listen() closed the app that failed
    throw e
  }
  first.mockControl.listeners = nodes.map(n => ({ uid: n.uid, url: n.url }))
  first.mockControl.switchListener = async (uid, up) => {
    const node = nodes.find(n => n.uid === uid)
    if (node !== undefined) await switchListener(node, up, where(uid, nodes.indexOf(node)).host)
  }
  first.mockControl.listening = () => nodes.filter(n => n.app.server.listening).map(n => n.uid)
  return nodes
}

/** A node that is down does not answer at all: its port refuses connections until it is up again. */
async function switchListener (node: NodeListener, up: boolean, host: string): Promise<void> {
  const server = node.app.server
  if (server.listening === up) return
  if (!up) {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
    return
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(node.port, host, () => { server.off('error', reject); resolve() })
  })
}

export async function closeNodes (nodes: readonly NodeListener[]): Promise<void> {
  // a node taken down has no server to close; fastify's own close still runs for its hooks
  await Promise.all(nodes.map(async n => { await (n.app.server.listening ? n.app.close() : n.app.close().catch(() => {})) }))
}
