// The front door every RS route passes, in the real API's order (docs/decisions.md #1-#7):
// 503 not in a cluster → 400 headers → 505 x-api-version → 401 authentication → 403 permission.
// Each check is a step of its own; src/http/pipeline.ts runs them in that order.
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify'
import basicAuth from '@fastify/basic-auth'
import type { Grant, Store, UserRecord } from '../store/index.js'
import { insufficientPermissions, invalidHeader, isApiError, nodeNotInCluster, unauthorized, unsupportedApiVersion } from '../base/errors.js'
import { malformedAuthorization, parseAuthorization } from '../base/authorization.js'
import type { Permission } from '../base/permissions.js'
import { routeOf, shared } from './plugin.js'

/** 'bootstrap': answers without credentials and without 503 while the node is not in a cluster;
 *  'open': outside every check (health); 'control': the /_mock/ API's own login (control-login.ts);
 *  'authenticated': any user with valid credentials, whatever its role */
export type RouteAccess = 'bootstrap' | 'open' | 'control' | 'authenticated'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the permission (docs/rs-api-notes.md §6.1) a caller's management role must hold */
    permission?: Permission
    access?: RouteAccess
    /** a caller lacking `permission` may still call it on itself (`:uid` is its own uid) */
    self?: boolean
    /** the body is a multipart/form-data upload (module artifacts, docs/decisions.md #7) */
    multipart?: boolean
  }
  interface FastifyRequest {
    user: UserRecord | null
    /** what the user's roles allow, as the front door found it (null before, and on open routes) */
    grant: Grant | null
  }
  interface FastifyInstance {
    /** every route with its declared access and schema, in registration order: the RBAC and hostile-input tests read it */
    apiRoutes: ReadonlyArray<{ method: string, url: string, permission?: Permission, access?: RouteAccess, self?: boolean, schema?: FastifySchema }>
    frontDoor: FrontDoor
  }
}

/** The front door's steps; each throws its refusal. */
export interface FrontDoor {
  /** 503 while not in a cluster; true: a bootstrap route open without credentials right now */
  membership(req: FastifyRequest): boolean
  /** 400 for an Accept without JSON or a body without Content-Type: application/json */
  headers(req: FastifyRequest): void
  /** 505 for an x-api-version other than the path's */
  version(req: FastifyRequest): void
  /** 401 unless the Authorization header names a user (sets req.user); false: a Basic header the
   *  verified-header cache does not know, which `basicLogin` completes */
  authenticate(req: FastifyRequest): boolean
  /** A Basic login decoded by @fastify/basic-auth, the password checked by the store: sets
   *  req.user, or calls back with 401 unauthorized or user_locked */
  basicLogin(req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void
  /** 403 unless the user's roles hold the route's permission (sets req.grant) */
  permit(req: FastifyRequest): void
}

const JSON_RANGES = new Set(['application/json', 'application/*', '*/*'])

/** Accept absent is fine; present, it must admit JSON with a non-zero q-value. */
export function acceptsJson (accept: string): boolean {
  return accept.split(',').some(range => {
    const [type, ...params] = range.split(';').map(s => s.trim().toLowerCase())
    if (type === undefined || !JSON_RANGES.has(type)) return false
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
    const essence = type?.split(';')[0]!.trim().toLowerCase()
    // an upload route takes JSON too: its handler answers that with the route's own 400
    if (essence !== 'application/json' && !(multipart && essence === 'multipart/form-data')) {
      throw invalidHeader(`A request body must be sent with Content-Type: ${multipart ? 'multipart/form-data' : 'application/json'}, not ${type ?? 'none'}`)
    }
  }
}

/** docs/decisions.md #1: absent is fine; present, it must name the version of the request's path. */
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

export const frontDoor = shared<{ store: Store }>('front-door', async function frontDoor (app, { store }) {
  app.decorateRequest('user', null)
  app.decorateRequest('grant', null)
  const routes: Array<FastifyInstance['apiRoutes'][number]> = []
  app.decorate('apiRoutes', routes)
  app.addHook('onRoute', route => {
    const { permission, access, self } = route.config ?? {}
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, permission, access, self, schema: route.schema })
  })

  // Lax credentials: the one parser admits tabs and repeated spaces as separators (RFC 7230 BWS).
  // It has called the header Basic before basic-auth sees it, so a malformed one never gets here.
  await app.register(basicAuth, {
    strictCredentials: false,
    validate (login, password, req, _reply, done) {
      try {
        req.user = store.access.loginBasic(req.headers.authorization!, login, password)
      } catch (e) {
        return done(e as Error)
      }
      done()
    }
  })

  const door: FrontDoor = {
    membership (req) {
      const bootstrapOpen = routeOf(req).config.access === 'bootstrap' && !store.inCluster
      if (!store.inCluster && !bootstrapOpen) throw nodeNotInCluster()
      return bootstrapOpen
    },
    headers (req) { checkHeaders(req.headers, routeOf(req).config.multipart === true) },
    version (req) { checkApiVersion(req.headers, req.url) },
    // Basic, `JWT <token>` or `Bearer <token>` (docs/decisions.md #13); 401 unauthorized or user_locked.
    authenticate (req) {
      const header = req.headers.authorization
      if (header === undefined) throw unauthorized()
      const known = store.access.verifiedUser(header)
      if (known !== undefined) {
        req.user = known
        return true
      }
      const auth = parseAuthorization(header)
      if (auth.scheme === 'malformed') throw malformedAuthorization()
      if (auth.scheme === 'basic') return false
      req.user = store.access.loginToken(header, auth.token)
      return true
    },
    basicLogin (req, reply, done) {
      // basic-auth's own refusal (its rules are the parser's, so only for a header no step parsed) is a malformed header too.
      app.basicAuth(req, reply, (err?: Error) => done(err === undefined || isApiError(err) ? err : malformedAuthorization()))
    },
    permit (req) {
      const user = req.user!
      const grant = store.access.grant(user)
      req.grant = grant
      const { permission, self } = routeOf(req).config
      if (permission === undefined || grant.allows(permission)) return
      if (self === true && (req.params as { uid?: string }).uid === String(user.user.uid)) return
      throw insufficientPermissions(permission)
    }
  }
  app.decorate('frontDoor', door)
})
