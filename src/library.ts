// The library API: `await startMock()` gives a running mock on a free port with everything the
// /_mock/ control API does as methods; `createMock()` the same without a socket (inject).
// Every instance owns its store, control, certificate and temp dir: nothing is shared.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { LogOptions } from './base/log.js'
import { buildApp, type AppOptions } from './app.js'
import { attachPorts, closeNodes, listenNodes, prepareStore, type StoreSetup } from './server.js'
import { parseDbPorts } from './config.js'
import { reserveDbPorts, type PortRange } from './redis/db-ports.js'
import { loadTls } from './tls.js'
import { startExporters } from './metrics/index.js'
import type { Store, StateDocument } from './store/index.js'
import { attachRedis, type RedisManager, type RedisSetup } from './redis/index.js'
import type { ControlOptions, ControlStatus } from './control/control.js'
import type { FaultRule, FaultRuleInput } from './control/faults.js'
import type { JournalEntry, JournalFilter } from './control/journal.js'

export interface MockOptions extends StoreSetup, Omit<RedisSetup, 'stateFile' | 'dbPorts'> {
  /**
   * the ports databases get: `'auto'` (a free block of 100 of its own: mocks side by side never
   * collide), `{ first, last }` or `'20000-20999'`; default RS's 10000-19999
   */
  dbPorts?: 'auto' | string | PortRange
  /** default 0: a free port */
  port?: number
  /** default 127.0.0.1 */
  host?: string
  /** PEM pair to serve; default: a certificate generated into `certsDir` */
  tls?: { cert: string, key: string }
  /** default: a temp directory removed by close() */
  certsDir?: string
  /** extra names for the generated certificate (localhost, 127.0.0.1 and ::1 are always in) */
  certNames?: string[]
  /** the /_mock/ routes, journal size, fault cap (the methods below work either way) */
  control?: ControlOptions
  /** false (default): silent; true: info; or pino options (`level`, `stream`, ...) */
  logger?: LogOptions
  /** the Prometheus metrics exporter (/v2, /metrics): a port, default 0 (a free one), or 'off' */
  metricsPort?: number | 'off'
  /** no socket: drive it with inject() (startMock({ inject: true }) is createMock()) */
  inject?: boolean
}

export interface MockHandle {
  readonly app: FastifyInstance
  readonly store: Store
  /** with `redis`: the redis-servers behind the databases (settled() waits until they match the state) */
  readonly redis?: RedisManager
  /** the ports its databases get (`dbPorts`) */
  readonly dbPorts: PortRange
  /** the admin login */
  readonly credentials: { username: string, password: string }
  /** an in-process request (no socket); `headers.authorization` defaults to the admin login */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>
  /** back to the start state (the scenario last loaded) */
  reset(): ControlStatus
  /** announces an edit made to `store.state` directly (cached answers and the state file follow) */
  changed(): void
  close(): Promise<void>
  readonly faults: {
    add(rule: FaultRuleInput): FaultRule
    list(): FaultRule[]
    remove(id: number): FaultRule
    clear(): number
  }
  readonly journal: {
    list(filter?: JournalFilter): JournalEntry[]
    count(filter?: JournalFilter): number
    clear(): number
  }
  leaveCluster(): ControlStatus
  joinCluster(): ControlStatus
  setTransitionDelay(ms: number): { transition_delay_ms: number, pending: number }
  completePending(): { completed: number, pending: number }
  exportState(): StateDocument
  importState(doc: unknown): ControlStatus
  /** a built-in scenario (default, fresh-node, empty-cluster, large) or a fixture directory */
  loadScenario(nameOrDir: string): ControlStatus
  /** node UID fails: `down`, its masters fail over, its listener stops answering */
  nodeDown(uid: number): Promise<{ uid: number, status: string, master: number }>
  /** node UID is back: `active`, listening again */
  nodeUp(uid: number): Promise<{ uid: number, status: string, master: number }>
  /** Cuts node UID off from the others while it keeps answering (docs/multi-node.md) */
  partitionNode(uid: number): { uid: number, status: string, partitioned: boolean, master: number }
  /** Ends node UID's partition: it is back as a follower */
  healNode(uid: number): { uid: number, status: string, partitioned: boolean, master: number }
}

export interface RunningMock extends MockHandle {
  /** https://127.0.0.1:<port> */
  readonly url: string
  readonly port: number
  /** the served certificate (PEM): trust it as the CA */
  readonly ca: string
  /** each node's listener (one with the default `nodes: 1`) */
  readonly nodes: ReadonlyArray<{ uid: number, url: string, port: number }>
  /** https://127.0.0.1:<port> of node 1's metrics exporter (GET /v2, /metrics); absent with metricsPort 'off' */
  readonly metricsUrl?: string
  /** each node's metrics exporter */
  readonly metrics: ReadonlyArray<{ uid: number, url: string, port: number }>
}

const adminLogin = (options: MockOptions): { email: string, password: string } =>
  ({ email: options.admin?.email ?? 'admin@redis.local', password: options.admin?.password ?? 'admin' })

async function build (options: MockOptions, https?: { cert: string, key: string }): Promise<{ app: FastifyInstance, store: Store, appOptions: AppOptions, redis?: RedisManager }> {
  // The login the handle reports (credentials, inject) is the login user 1 gets, whatever the fixtures say.
  const { store, scenario } = prepareStore({ ...options, admin: adminLogin(options) })
  const appOptions: AppOptions = {
    store,
    https,
    logger: options.logger ?? false,
    control: { ...options.control, scenario: options.control?.scenario ?? scenario }
  }
  const ports = await reserveDbPorts(typeof options.dbPorts === 'string' ? parseDbPorts(options.dbPorts) : options.dbPorts)
  let app: FastifyInstance
  try {
    app = await buildApp(appOptions)
  } catch (e) {
    await ports.release()
    throw e
  }
  try {
    return { app, store, appOptions, redis: attachPorts(app, store, ports, dbPorts => attachRedis(app, store, { ...options, dbPorts })) }
  } catch (e) {
    await app.close()
    throw e
  }
}

function handle (app: FastifyInstance, store: Store, options: MockOptions, cleanup: () => Promise<void>, redis?: RedisManager, close = async () => { await app.close() }): MockHandle {
  const c = app.mockControl
  const admin = adminLogin(options)
  const credentials = { username: admin.email, password: admin.password }
  const basic = 'Basic ' + Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
  return {
    app,
    store,
    redis,
    dbPorts: store.bdbs.ports,
    credentials,
    inject: (o) => app.inject({ ...o, headers: { authorization: basic, ...o.headers } }),
    reset: () => c.reset(),
    changed: () => store.changed(),
    close: async () => {
      await close()
      await cleanup()
    },
    faults: {
      add: (rule) => c.faults.add(rule),
      list: () => c.faults.list(),
      remove: (id) => c.faults.remove(id),
      clear: () => c.faults.clear()
    },
    journal: {
      list: (filter) => c.journal.list(filter),
      count: (filter) => c.journal.count(filter),
      clear: () => c.journal.clear()
    },
    leaveCluster: () => c.leaveCluster(),
    joinCluster: () => c.joinCluster(),
    setTransitionDelay: (ms) => c.setTransitionDelay(ms),
    completePending: () => c.completePending(),
    exportState: () => c.exportState(),
    importState: (doc) => c.importState(doc),
    loadScenario: (ref) => c.loadScenario(ref),
    nodeDown: async (uid) => await c.setNodeDown(uid, true),
    nodeUp: async (uid) => await c.setNodeDown(uid, false),
    partitionNode: (uid) => c.setPartitioned(uid, true),
    healNode: (uid) => c.setPartitioned(uid, false)
  }
}

/** A mock without a socket: the fastest way for a test to use it (inject()). */
export async function createMock (options: MockOptions = {}): Promise<MockHandle> {
  const { app, store, redis } = await build(options)
  await app.ready()
  return handle(app, store, options, async () => {}, redis)
}

export async function startMock (options: MockOptions & { inject: true }): Promise<MockHandle>
export async function startMock (options?: MockOptions): Promise<RunningMock>
export async function startMock (options: MockOptions = {}): Promise<MockHandle | RunningMock> {
  if (options.inject === true) return await createMock(options)
  const temp = options.tls === undefined && options.certsDir === undefined ? await mkdtemp(join(tmpdir(), 'rs-mock-')) : undefined
  const cleanup = async (): Promise<void> => { if (temp !== undefined) await rm(temp, { recursive: true, force: true }) }
  try {
    const tls = options.tls ?? await loadTls({ certsDir: options.certsDir ?? temp!, certNames: options.certNames })
    const { app, store, appOptions, redis } = await build(options, { cert: tls.cert, key: tls.key })
    const host = options.host ?? '127.0.0.1'
    const nodes = await listenNodes(store, app, uid => buildApp({ ...appOptions, node: { uid, control: app.mockControl } }),
      (_uid, i) => ({ port: options.port === undefined || options.port === 0 ? 0 : options.port + i, host }))
    const exporterPort = options.metricsPort ?? 0
    let exporters
    try {
      exporters = exporterPort === 'off'
        ? undefined
        : await startExporters({ store, control: app.mockControl, tls, port: exporterPort, host, nodes, live: redis === undefined ? undefined : uid => redis.history(uid)?.latest })
    } catch (e) {
      await closeNodes(nodes)
      throw e
    }
    const { port, url } = nodes[0]
    const listeners = nodes.map(({ uid, url, port }) => ({ uid, url, port }))
    const metrics = (exporters?.list ?? []).map(({ uid, url, port }) => ({ uid, url, port }))
    const close = async (): Promise<void> => { await Promise.all([closeNodes(nodes), exporters?.close()]) }
    return { ...handle(app, store, options, cleanup, redis, close), url, port, ca: tls.cert, nodes: listeners, metrics, metricsUrl: metrics[0]?.url }
  } catch (e) {
    await cleanup()
    throw e
  }
}
