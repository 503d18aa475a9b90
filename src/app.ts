// buildApp: the fastify instance with the front door, the RS routes and the error handling.
// It never listens: server.ts does, and tests use app.inject() or listen on port 0.
import fastify, { type FastifyInstance } from 'fastify'
import type { Store } from './store/index.js'
import { frontDoor } from './plugins/front-door.js'
import { errorHandling } from './plugins/errors.js'
import { lazyCompilers } from './plugins/validation.js'
import { jsonBody } from './plugins/json-body.js'
import { DEFAULT_LIMITS, transportOptions } from './plugins/transport.js'
import { shuttingDown } from './errors.js'
import { createLog, type Log, type LogOptions } from './log.js'
import { guardConnections, requestRead, type ConnectionGuard } from './connections.js'
import routes from './routes/index.js'
import controlRoutes, { controlHooks, MockControl, type ControlOptions } from './control/index.js'
import { claimedUser } from './control/journal.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** the test control (faults, journal, reset, ...) the /_mock/ routes and the library drive */
    mockControl: MockControl
    /** the mock's log (fastify itself runs without a logger, see log.ts) */
    mockLog: Log
    /** the open connections: their cap, and what closing cuts */
    mockConnections: ConnectionGuard
  }
  interface FastifyRequest {
    /** performance.now() when the request arrived */
    arrivedAt: number
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
    // DECISIONS #9: never let validation coerce or strip a client's body.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    schemaController: { compilersFactory: lazyCompilers }
  }) as unknown as FastifyInstance
  const { store } = options

  app.decorate('mockLog', log)
  app.decorateRequest('arrivedAt', 0)
  const gate = errorHandling(app, bodyLimit, log)
  const connections = guardConnections(app.server, options.https !== undefined, options.maxConnections ?? DEFAULT_LIMITS.maxConnections, log)
  app.decorate('mockConnections', connections)
  // After the gate closed: what close() need not wait for is cut now, and said once the listener
  // is closed (the first line may load pino, ~50 ms, which must not delay that).
  let cut: ReturnType<ConnectionGuard['cut']> | undefined
  app.addHook('preClose', done => { cut = connections.cut(); done() })
  app.addHook('onClose', (_app, done) => {
    if (cut !== undefined && cut.partialRequests + cut.handshaking + cut.idle > 0) {
      const described = `closing: cut ${cut.partialRequests} partly received requests (answered 503 shutting_down), ` +
        `${cut.handshaking} connections in their TLS handshake, ${cut.idle} idle connections`
      log[cut.partialRequests + cut.handshaking > 0 ? 'warn' : 'debug']({ ...cut }, described)
    }
    done()
  })
  jsonBody(app)
  const control = new MockControl(store, options.control)
  app.decorate('mockControl', control)
  // The journal and faults see every request, 404s and refusals included; installed even without
  // the /_mock/ routes, since the library drives the same MockControl.
  const observer = controlHooks(app, control)
  const check = await frontDoor(app, store)

  // One hook per phase (each costs a dispatch per request), callback style: no promise and no
  // microtask per request. A refusal is a synchronous throw, which fastify answers.
  // Arrival: the shutdown gate, then journal and faults, then the transitions that are due
  // happen before the request sees the state, then the front door.
  const enter: typeof check = (req, reply, done) => {
    store.core.settle()
    check(req, reply, done)
  }
  app.addHook('onRequest', (req, reply, done) => {
    req.arrivedAt = performance.now()
    if (gate.closing) throw shuttingDown()
    const fault = observer.arrive(req, reply)
    if (fault === undefined) return enter(req, reply, done)
    fault.then(() => {
      if (reply.sent) return // dropped or hung: hijacked, nothing more to run
      try { enter(req, reply, done) } catch (e) { done(e as Error) }
    }, done)
  })

  // Answer: the journal entry closes; DECISIONS #14: the headers an RS answer carries through its
  // Envoy front proxy; while closing, the connection closes after it.
  app.addHook('onSend', (req, reply, payload, done) => {
    const elapsed = performance.now() - req.arrivedAt
    observer.answer(req, reply, elapsed)
    requestRead(req.raw.socket)
    reply.header('server', 'envoy')
    reply.header('cluster-state-id', store.clusterStateId)
    reply.header('x-envoy-upstream-service-time', Math.round(elapsed))
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json')
    if (gate.closing) reply.header('connection', 'close')
    done(null, payload)
  })

  // At debug, one line per answered request: the login name, never the password or a token;
  // the path without its query. Installed only then: a hook costs every request a dispatch.
  if (log.enabled('debug')) {
    app.addHook('onResponse', (req, reply, done) => {
      log.debug({
        method: req.method,
        path: req.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round((performance.now() - req.arrivedAt) * 10) / 10,
        user: claimedUser(req.headers.authorization) ?? undefined
      }, 'request')
      done()
    })
  }

  await app.register(routes, { store })
  await app.register(controlRoutes, { store, control })
  return app
}
