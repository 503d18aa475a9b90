// startServer: config → certificate → fixtures → store → app → listen.
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { loadTls } from './tls.js'
import { loadSeed } from './fixtures.js'
import { createStore, type Store } from './store/index.js'
import { buildApp } from './app.js'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly store: Store
  /** https://host:port with the real port (useful with port 0) */
  readonly url: string
  readonly port: number
  /** the certificate served, PEM: trust it instead of disabling verification */
  readonly ca: string
  close(): Promise<void>
}

export async function startServer (config: Config): Promise<RunningServer> {
  const tls = await loadTls(config)
  const store = createStore(loadSeed(config.fixtures), {
    freshNode: config.freshNode,
    admin: { email: config.adminEmail, password: config.adminPassword }
  })
  const app = await buildApp({
    store,
    https: { cert: tls.cert, key: tls.key },
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel }
  })
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  return { app, store, url: `https://${host}:${port}`, port, ca: tls.cert, close: () => app.close() }
}
