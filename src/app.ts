// buildApp: the fastify instance with the front door, the RS routes and the error handling.
// It never listens: server.ts does, and tests use app.inject() or listen on port 0.
import fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Store } from './store/index.js'
import { frontDoor } from './plugins/front-door.js'
import { errorHandling } from './plugins/errors.js'
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
  /** largest accepted request body in bytes */
  bodyLimit?: number
  /** the /_mock/ test-control API: token, journal size, fault cap; `enabled: false` keeps only health */
  control?: ControlOptions
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const app = fastify({
    ...(options.https ? { https: { ...options.https, allowHTTP1: true } } : {}),
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // DECISIONS #9: never let validation coerce or strip a client's body.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    return503OnClosing: true
  }) as unknown as FastifyInstance
  const { store } = options

  errorHandling(app, bodyLimit)
  const control = new MockControl(store, options.control)
  app.decorate('mockControl', control)
  // First of all hooks: the journal and faults see every request, 404s and refusals included.
  if (options.control?.enabled !== false) controlHooks(app, control)
  // Async transitions that are due happen before the request sees the state.
  app.addHook('onRequest', async () => { store.core.settle() })
  await frontDoor(app, store)

  // DECISIONS #14: the headers an RS answer carries through its Envoy front proxy.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('server', 'envoy')
    reply.header('cluster-state-id', store.clusterStateId)
    reply.header('x-envoy-upstream-service-time', Math.round(reply.elapsedTime))
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json')
    return payload
  })

  await app.register(routes, { store })
  await app.register(controlRoutes, { store, control })
  return app
}
