// buildApp: the fastify instance, the request pipeline (src/http/pipeline.ts) and the routes.
// It never listens: server.ts does, and tests use app.inject() or listen on port 0.
import fastify, { type FastifyInstance } from 'fastify'
import type { Server as TlsServer } from 'node:tls'
import type { Store } from './store/index.js'
import { lazyCompilers } from './http/validation.js'
import { DEFAULT_LIMITS, edgeAnswers, transportOptions } from './http/transport.js'
import { pipeline } from './http/pipeline.js'
import { createLog, type Log, type LogOptions } from './base/log.js'
import routes from './routes/index.js'
import controlRoutes, { MockControl, type ControlOptions } from './control/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** the test control (faults, journal, reset, ...) the /_mock/ routes and the library drive */
    mockControl: MockControl
    /** the mock's log (fastify itself runs without a logger, see log.ts) */
    mockLog: Log
    /** the node this app answers for (one app, one listener per node: docs/multi-node.md) */
    nodeUid: number
  }
}

export interface AppOptions {
  store: Store
  /** PEM pair: when given, the instance serves HTTPS */
  https?: { cert: string, key: string }
  /** false (default): silent; true: info; or pino options (`level`, `stream`, ...) */
  logger?: LogOptions
  /** largest accepted request body in bytes (default 1 MiB) */
  bodyLimit?: number
  /** largest request line plus headers in bytes (default 16 KiB; real sockets only) */
  maxHeaderSize?: number
  /** ms to receive a whole request, 0: none (default 30 s; real sockets only) */
  requestTimeout?: number
  /** ms an idle keep-alive connection stays open (default 72 s) */
  keepAliveTimeout?: number
  /** ms a client has to complete the TLS handshake (default 5 s) */
  handshakeTimeout?: number
  /** connections open at once; more are closed at once (default 1000) */
  maxConnections?: number
  /** the /_mock/ test-control API: token, journal size, fault cap; `enabled: false` keeps only health */
  control?: ControlOptions
  /** the node this app is, and the test control it shares with node 1's app (default: node 1, its own) */
  node?: { uid: number, control: MockControl }
}

export const DEFAULT_BODY_LIMIT = DEFAULT_LIMITS.bodyLimit

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const log = createLog(options.logger)
  const app = fastify({
    ...transportOptions({
      bodyLimit,
      maxHeaderSize: options.maxHeaderSize ?? DEFAULT_LIMITS.maxHeaderSize,
      requestTimeout: options.requestTimeout ?? DEFAULT_LIMITS.requestTimeout,
      keepAliveTimeout: options.keepAliveTimeout ?? DEFAULT_LIMITS.keepAliveTimeout,
      handshakeTimeout: options.handshakeTimeout ?? DEFAULT_LIMITS.handshakeTimeout,
      maxConnections: options.maxConnections ?? DEFAULT_LIMITS.maxConnections
    }, log, options.https),
    logger: false,
    // docs/decisions.md #9: never let validation coerce or strip a client's body.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    schemaController: { compilersFactory: lazyCompilers }
  }) as unknown as FastifyInstance
  const { store } = options

  edgeAnswers(app.server)
  app.decorate('mockLog', log)
  const control = options.node?.control ?? new MockControl(store, options.control)
  app.decorate('mockControl', control)
  app.decorate('nodeUid', options.node?.uid ?? 1)
  await app.register(pipeline, {
    store, control, bodyLimit, log, https: options.https !== undefined, maxConnections: options.maxConnections ?? DEFAULT_LIMITS.maxConnections, nodeUid: options.node?.uid ?? 1
  })
  await app.register(routes, { store })
  await app.register(controlRoutes, { store, control })
  // The api certificate set through the API is what the next TLS handshake presents.
  if (options.https !== undefined) {
    store.certificates.serve(options.https, pair => (app.server as unknown as TlsServer).setSecureContext(pair),
      problem => log.warn({ certificate: 'api' }, `the saved api certificate cannot serve TLS, the start certificate is served instead: ${problem}`))
  }
  return app
}
