// startServer: config → certificate → scenario → store (→ state file) → app → listen.
import type { FastifyInstance } from 'fastify'
import { networkInterfaces } from 'node:os'
import { ConfigError, defaultFixturesDir, type Config } from './config.js'
import { loadTls } from './tls.js'
import { loadSeedSource } from './fixtures.js'
import { createStore, type Clock, type Seed, type SeedSource, type Store } from './store/index.js'
import { buildApp } from './app.js'
import { loadScenario } from './control/scenarios.js'
import { attachStateFile, type StateFile } from './persistence.js'
import { isApiError } from './base/errors.js'
import { loggerOptions, resolveLogFormat } from './base/log-format.js'
import { attachRedis } from './redis/index.js'

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
  close(): Promise<void>
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
}

/** The store a server or a library instance starts with; ConfigError when it cannot be made. */
export function prepareStore (setup: StoreSetup): { store: Store, scenario: string, stateFile?: StateFile } {
  let seed: Seed | SeedSource, freshNode, name
  if (setup.scenario !== undefined) {
    try {
      const scenario = loadScenario(setup.scenario)
      ;({ seed, freshNode, name } = scenario)
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
    transitionDelayMs: setup.transitionDelayMs
  })
  if (setup.freshNode === true && name === 'default') name = 'fresh-node'
  const stateFile = setup.stateFile === undefined ? undefined : attachStateFile(store, setup.stateFile)
  return { store, scenario: name, stateFile }
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
  const tls = await loadTls(config)
  const { store, scenario, stateFile } = prepareStore({
    scenario: config.scenario,
    fixtures: config.fixtures,
    freshNode: config.freshNode,
    admin: { email: config.adminEmail, password: config.adminPassword },
    transitionDelayMs: config.transitionDelayMs,
    stateFile: config.stateFile
  })
  const app = await buildApp({
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
  })
  try {
    attachRedis(app, store, { redis: config.redis, redisMax: config.redisMax, redisHost: config.redisHost, stateFile: config.stateFile })
  } catch (e) {
    await app.close()
    throw e
  }
  if (tls.replaced !== undefined) app.mockLog.warn({ certs_dir: config.certsDir }, `generated a new certificate in ${config.certsDir}: ${tls.replaced}`)
  const { url, port } = await listen(app, config.port, wildcardHost(config.host))
  return { app, store, url, port, ca: tls.cert, stateFile, close: () => app.close() }
}
