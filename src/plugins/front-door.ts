// The front door every RS route passes, in the real API's order (DECISIONS #1-#7):
// 503 not in a cluster → 400 headers → 505 x-api-version → 401 authentication → 403 permission.
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify'
import basicAuth from '@fastify/basic-auth'
import type { Store, UserRecord } from '../store/index.js'
import { Access } from '../store/access.js'
import { insufficientPermissions, invalidHeader, nodeNotInCluster, unauthorized, unsupportedApiVersion } from '../errors.js'

export type RouteAccess = 'bootstrap' | 'open' | 'authenticated'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the permission (reference §6.1) a caller's management role must hold */
    permission?: string
    /** 'bootstrap': answers without credentials and without 503 while the node is not in a cluster;
     *  'open': outside the RS front door altogether (the control API does its own checks);
     *  'authenticated': any user with valid credentials, whatever its role */
    access?: RouteAccess
    /** a caller lacking `permission` may still call it on itself (`:uid` is its own uid) */
    self?: boolean
    /** the body is a multipart/form-data upload (module artifacts, DECISIONS #7) instead of JSON */
    multipart?: boolean
  }
  interface FastifyRequest {
    user: UserRecord | null
    role: string | null
  }
  interface FastifyInstance {
    /** every route with its declared access and schema, in registration order (HEAD twins left out): the RBAC and hostile-input tests read it */
    apiRoutes: ReadonlyArray<{ method: string, url: string, permission?: string, access?: RouteAccess, self?: boolean, schema?: FastifySchema }>
    /** A Basic login through the one parser (RS routes and /_mock/ alike): sets `req.user`, or
     *  calls back with a 401 (a malformed header never counts as a wrong password) */
    basicLogin(req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void
  }
}

const JSON_RANGES = new Set(['application/json', 'application/*', '*/*'])

/** Accept absent is fine; present, it must admit JSON with a non-zero q-value. */
export function acceptsJson (accept: string): boolean {
  return accept.split(',').some(range => {
    const [type, ...params] = range.split(';').map(s => s.trim().toLowerCase())
    if (!JSON_RANGES.has(type)) return false
    const q = params.find(p => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}

function hasBody (headers: IncomingHttpHeaders): boolean {
  const len = headers['content-length']
  return (len !== undefined && len !== '0') || headers['transfer-encoding'] !== undefined
}

function checkHeaders (headers: IncomingHttpHeaders, multipart: boolean): void {
  const accept = headers.accept
  if (accept !== undefined && !acceptsJson(accept)) {
    throw invalidHeader(`Accept: ${accept} does not admit application/json`)
  }
  if (hasBody(headers)) {
    const type = headers['content-type']
    const essence = type?.split(';')[0].trim().toLowerCase()
    // an upload route takes JSON too: its handler answers that with the route's own 400
    if (essence !== 'application/json' && !(multipart && essence === 'multipart/form-data')) {
      throw invalidHeader(`A request body must be sent with Content-Type: ${multipart ? 'multipart/form-data' : 'application/json'}, not ${type ?? 'none'}`)
    }
  }
}

/** DECISIONS #1: absent is fine; present, it must name the version of the request's path. */
function checkApiVersion (headers: IncomingHttpHeaders, url: string): void {
  const raw = headers['x-api-version']
  if (raw === undefined) return
  const value = Array.isArray(raw) ? raw.join(',') : raw
  const pathVersion = /^\/v(\d+)\//.exec(url)?.[1]
  const asked = /^v?(\d+)$/i.exec(value.trim())?.[1]
  if (pathVersion === undefined || asked === undefined || Number(asked) !== Number(pathVersion)) {
    throw unsupportedApiVersion(value)
  }
}

const BASIC = /^basic[ \t]/i

/** The front door's check of one request, as the request pipeline (app.ts) calls it. */
export type FrontDoorCheck = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void

export async function frontDoor (app: FastifyInstance, store: Store): Promise<FrontDoorCheck> {
  app.decorateRequest('user', null)
  app.decorateRequest('role', null)
  const routes: Array<FastifyInstance['apiRoutes'][number]> = []
  app.decorate('apiRoutes', routes)
  app.addHook('onRoute', route => {
    const { permission, access, self } = (route.config ?? {}) as { permission?: string, access?: RouteAccess, self?: boolean }
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, permission, access, self, schema: route.schema })
  })

  // Basic credentials the verified-header cache does not know yet are parsed by @fastify/basic-auth
  // (RFC 7617: scheme, token68, no control characters, a colon); the login itself is the store's.
  await app.register(basicAuth, {
    strictCredentials: false,
    validate (email, password, req, _reply, done) {
      try {
        req.user = store.access.authenticateBasic(req.headers.authorization as string, email, password)
      } catch (e) {
        return done(e as Error)
      }
      done()
    }
  })

  app.decorate('basicLogin', function (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    const header = req.headers.authorization
    if (header === undefined || !BASIC.test(header) || !Access.isBase64(header.slice(6).trim())) {
      return done(unauthorized('Missing or malformed Authorization header'))
    }
    app.basicAuth(req, reply, done)
  })

  /** The caller is known: its role, then the route's permission (403). */
  function admit (req: FastifyRequest, config: FastifyContextConfig, user: UserRecord, done: (err?: Error) => void): void {
    const grant = store.access.grant(user)
    req.user = user
    req.role = grant.role
    const { permission, self } = config
    if (permission === undefined || grant.allows(permission)) return done()
    if (self === true && (req.params as { uid?: string }).uid === String(user.user.uid)) return done()
    done(insufficientPermissions(permission))
  }

  // Callback style: a refusal is a synchronous throw, which fastify turns into the error response.
  return function check (req, reply, done) {
    const config = req.routeOptions.config
    const { access } = config
    if (access === 'open') return done()
    const bootstrapOpen = access === 'bootstrap' && !store.inCluster
    if (!store.inCluster && !bootstrapOpen) throw nodeNotInCluster()
    const headers = req.headers
    checkHeaders(headers, config.multipart === true)
    checkApiVersion(headers, req.url)
    if (bootstrapOpen) return done()
    const header = headers.authorization
    if (header === undefined) throw unauthorized()
    // Basic, `JWT <token>` or `Bearer <token>` (DECISIONS #13); 401 unauthorized or user_locked.
    const known = store.access.verifiedUser(header)
    if (known !== undefined) return admit(req, config, known, done)
    if (BASIC.test(header)) {
      app.basicLogin(req, reply, (err?: Error) => err !== undefined ? done(err) : admit(req, config, req.user!, done))
      return
    }
    admit(req, config, store.access.authenticateToken(header), done)
  }
}
