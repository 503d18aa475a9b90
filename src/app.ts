// buildApp: the fastify instance with the front door, the RS routes and the error handling.
// It never listens: server.ts does, and tests use app.inject() or listen on port 0.
import fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Store } from './store/index.js'
import { frontDoor } from './plugins/front-door.js'
import { errorHandling } from './plugins/errors.js'
import { lazyCompilers } from './plugins/validation.js'
import { jsonBody } from './plugins/json-body.js'
import { DEFAULT_LIMITS, transportOptions } from './plugins/transport.js'
import routes from './routes/index.js'
import controlRoutes, { controlHooks, MockControl, type ControlOptions } from './control/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** the test control (faults, journal, reset, ...) the /_mock/ routes and the library drive */
    mockControl: MockControl
  }
}

export interface AppOptions {
  store: Store
  /** PEM pair: when given, the instance serves HTTPS */
  https?: { cert: string, key: string }
  logger?: FastifyServerOptions['logger']
  /** largest accepted request body in bytes (default 1 MiB) */
  bodyLimit?: number
  /** largest request line plus headers in bytes (default 16 KiB; real sockets only) */
  maxHeaderSize?: number
  /** ms to receive a whole request, 0: none (default 30 s; real sockets only) */
  requestTimeout?: number
  /** ms an idle keep-alive connection stays open (default 72 s) */
  keepAliveTimeout?: number
  /** the /_mock/ test-control API: token, journal size, fault cap; `enabled: false` keeps only health */
  control?: ControlOptions
}

export const DEFAULT_BODY_LIMIT = DEFAULT_LIMITS.bodyLimit

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const app = fastify({
    ...transportOptions({
      bodyLimit,
      maxHeaderSize: options.maxHeaderSize ?? DEFAULT_LIMITS.maxHeaderSize,
      requestTimeout: options.requestTimeout ?? DEFAULT_LIMITS.requestTimeout,
      keepAliveTimeout: options.keepAliveTimeout ?? DEFAULT_LIMITS.keepAliveTimeout
    }, options.https),
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    // Request logging is off: below `info` a pino child per request (~5% of a small GET) would
    // write nothing, so the app logger serves (the error handler names the reqId itself).
    childLoggerFactory: (logger, bindings, opts) => ['trace', 'debug', 'info'].includes(logger.level) ? logger.child(bindings, opts) : logger,
    // DECISIONS #9: never let validation coerce or strip a client's body.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    schemaController: { compilersFactory: lazyCompilers }
  }) as unknown as FastifyInstance
  const { store } = options

  errorHandling(app, bodyLimit)
  jsonBody(app)
  const control = new MockControl(store, options.control)
  app.decorate('mockControl', control)
  // The journal and faults see every request, 404s and refusals included; installed even without
  // the /_mock/ routes, since the library drives the same MockControl.
  controlHooks(app, control)
  // Async transitions that are due happen before the request sees the state.
  // Callback-style hooks here and below: no promise and no extra microtask per request.
  app.addHook('onRequest', (_req, _reply, done) => { store.core.settle(); done() })
  await frontDoor(app, store)

  // DECISIONS #14: the headers an RS answer carries through its Envoy front proxy.
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('server', 'envoy')
    reply.header('cluster-state-id', store.clusterStateId)
    reply.header('x-envoy-upstream-service-time', Math.round(reply.elapsedTime))
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json')
    done(null, payload)
  })

  await app.register(routes, { store })
  await app.register(controlRoutes, { store, control })
  return app
}
