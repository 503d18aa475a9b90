// The request pipeline, in the order a request meets it. The pieces are fastify plugins in this
// folder; this file composes their steps into ONE onRequest hook and a writeHead of each response: a
// hook costs a dispatch per request, and callback style costs no promise and no microtask per
// request. A refusal is a synchronous throw, which fastify answers through the error handler; a
// Basic login the verified-header cache does not know completes through @fastify/basic-auth's callback.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { Store } from '../store/index.js'
import type { MockControl } from '../control/control.js'
import type { Log } from '../base/log.js'
import { shuttingDown } from '../base/errors.js'
import { routeOf, shared, type Step } from './plugin.js'
import { refuseAtArrival } from './transport.js'
import { errorHandler } from './error-handler.js'
import { shutdownGate } from './shutdown-gate.js'
import { jsonBody } from './json-body.js'
import { isControlPath, observer } from './observer.js'
import { frontDoor } from './front-door.js'
import { controlLogin } from './control-login.js'
import { connectionGuard, requestRead } from './connections.js'
import { requestLog } from './request-log.js'
import { MockResponse, nodeWriteHead } from './response.js'
import { followerCheck } from './follower.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived */
    arrivedAt: number
  }
}

export interface PipelineOptions {
  store: Store
  control: MockControl
  bodyLimit: number
  log: Log
  /** the server speaks TLS: connections count from before their handshake */
  https: boolean
  /** connections open at once */
  maxConnections: number
  /** the node this app answers for */
  nodeUid: number
}

export const pipeline = shared<PipelineOptions>('pipeline', async function pipeline (app, { store, control, bodyLimit, log, https, maxConnections, nodeUid }) {
  // Below HTTP: the cap on open connections, and what closing cuts.
  await app.register(connectionGuard, { https, maxConnections, log })
  await app.register(errorHandler, { bodyLimit, log })
  // Bodiless /_mock/ POSTs are common from clients that always send Content-Type: application/json.
  await app.register(jsonBody, { allowEmpty: req => isControlPath(req.url) })
  await app.register(shutdownGate)
  // The journal and faults see every request, 404s and refusals included; installed even without
  // the /_mock/ routes, since the library drives the same MockControl.
  await app.register(observer, { control })
  await app.register(frontDoor, { store })
  await app.register(controlLogin, { store, token: control.options.token })
  // At debug only (a hook costs every request a dispatch): one line per answered request.
  await app.register(requestLog, { log })
  app.decorateRequest('arrivedAt', 0)
  app.decorateRequest('route', null)
  const gate = app.shutdownGate
  const { arrive, answer } = app.observer
  const door = app.frontDoor
  const controlCheck = app.controlLogin

  /** After the journal and faults: the refusals that close the connection (an unsupported Expect,
   *  a body over the limit), then due transitions happen before the request sees the state, then its door.
   *  Returns the step still due after a Basic login the verified-header cache does not know. */
  function enter (req: FastifyRequest): Step | undefined {
    const route = routeOf(req)
    refuseAtArrival(req, route.bodyLimit ?? bodyLimit)
    store.settle()
    const { access } = route.config
    if (access === 'open') return undefined
    if (access === 'control') return controlCheck(req)
    const bootstrapOpen = door.membership(req) // 503
    door.headers(req) // 400
    door.version(req) // 505
    // docs/decisions.md #48: a follower redirects after the header checks, before authentication.
    if (control.listeners.length > 1 || store.master.member !== undefined || store.master.anyPartitioned) followerCheck(req, nodeUid, store, control) // 307
    if (bootstrapOpen) return undefined
    if (!door.authenticate(req)) return door.permit // 401
    door.permit(req) // 403
    return undefined
  }

  /** A cache miss of a Basic login: decoded by @fastify/basic-auth, which calls back. */
  function login (req: FastifyRequest, reply: FastifyReply, then: Step, done: (err?: Error) => void): void {
    door.basicLogin(req, reply, err => {
      if (err !== undefined) return done(err)
      try { then(req) } catch (e) { return done(e as Error) }
      done()
    })
  }

  /**
   * As the answer's head is written: the journal entry closes; docs/decisions.md #14: the headers an
   * RS answer carries through its Envoy front proxy; while closing, the connection closes after it.
   * The step of each response's writeHead (response.ts) in place of an onSend hook, whose runner
   * fastify dispatches for every answer (docs/performance.md).
   */
  function answerHead (res: ServerResponse, statusCode: number, reason?: unknown, obj?: unknown): ServerResponse {
    const req = (res as MockResponse).answering as FastifyRequest
    const elapsed = performance.now() - req.arrivedAt
    answer(req, statusCode, elapsed)
    requestRead(res.socket ?? undefined) // the bytes read so far were whole requests (connections.ts)
    // fastify passes its headers as an object; a bare writeHead(status[, reason]) gets one here
    // (Node merges it over the headers set before, as it does fastify's)
    let headers = (typeof reason === 'object' && reason !== null ? reason : obj) as Record<string, unknown> | undefined
    if (headers === undefined) {
      headers = {}
      if (typeof reason === 'string') obj = headers
      else reason = headers
    }
    headers.server = 'envoy'
    headers['cluster-state-id'] = store.clusterStateId
    headers['x-envoy-upstream-service-time'] = Math.round(elapsed)
    const type = headers['content-type'] ?? res.getHeader('content-type')
    if (typeof type === 'string' && type.startsWith('application/json')) headers['content-type'] = 'application/json'
    if (gate.closing) headers.connection = 'close'
    // Node's writeHead, or that of the response's own class under inject (light-my-request's)
    const write = res instanceof MockResponse ? nodeWriteHead : (Object.getPrototypeOf(res) as { writeHead: (this: ServerResponse, ...args: unknown[]) => ServerResponse }).writeHead
    return write.call(res, statusCode, reason, obj)
  }

  app.addHook('onRequest', (req, reply, done) => {
    req.arrivedAt = performance.now()
    // fields a MockResponse has from construction: no new shape per response (response.ts)
    const res = reply.raw as ServerResponse as MockResponse
    res.answering = req
    res.headStep = answerHead
    // inject()'s responses are light-my-request's: the same writeHead, as their own
    if (!(reply.raw instanceof MockResponse)) res.writeHead = MockResponse.prototype.writeHead
    if (gate.closing) throw shuttingDown()
    const fault = arrive(req, reply)
    if (fault === undefined) {
      const then = enter(req)
      return then === undefined ? done() : login(req, reply, then, done)
    }
    fault.then(() => {
      if (reply.sent) return // dropped or hung: hijacked, nothing more to run
      let then: Step | undefined
      try { then = enter(req) } catch (e) { return done(e as Error) }
      if (then === undefined) done()
      else login(req, reply, then, done)
    }, done)
  })
})
