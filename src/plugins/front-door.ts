// The front door every RS route passes, in the real API's order (DECISIONS #1-#7):
// 503 not in a cluster → 400 headers → 505 x-api-version → 401 authentication → 403 permission.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store, UserRecord } from '../store/index.js'
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
  }
  interface FastifyRequest {
    user: UserRecord | null
    role: string | null
  }
  interface FastifyInstance {
    /** every route with its declared access, in registration order (HEAD twins left out): the RBAC test reads it */
    apiRoutes: ReadonlyArray<{ method: string, url: string, permission?: string, access?: RouteAccess, self?: boolean }>
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

function hasBody (req: FastifyRequest): boolean {
  const len = req.headers['content-length']
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined
}

function checkHeaders (req: FastifyRequest): void {
  const accept = req.headers.accept
  if (accept !== undefined && !acceptsJson(accept)) {
    throw invalidHeader(`Accept: ${accept} does not admit application/json`)
  }
  if (hasBody(req)) {
    const type = req.headers['content-type']
    if (type === undefined || type.split(';')[0].trim().toLowerCase() !== 'application/json') {
      throw invalidHeader(`A request body must be sent with Content-Type: application/json, not ${type ?? 'none'}`)
    }
  }
}

/** DECISIONS #1: absent is fine; present, it must name the version of the request's path. */
function checkApiVersion (req: FastifyRequest): void {
  const raw = req.headers['x-api-version']
  if (raw === undefined) return
  const value = Array.isArray(raw) ? raw.join(',') : raw
  const pathVersion = /^\/v(\d+)\//.exec(req.url)?.[1]
  const asked = /^v?(\d+)$/i.exec(value.trim())?.[1]
  if (pathVersion === undefined || asked === undefined || Number(asked) !== Number(pathVersion)) {
    throw unsupportedApiVersion(value)
  }
}

export async function frontDoor (app: FastifyInstance, store: Store): Promise<void> {
  app.decorateRequest('user', null)
  app.decorateRequest('role', null)
  const routes: Array<FastifyInstance['apiRoutes'][number]> = []
  app.decorate('apiRoutes', routes)
  app.addHook('onRoute', route => {
    const { permission, access, self } = (route.config ?? {}) as { permission?: string, access?: RouteAccess, self?: boolean }
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, permission, access, self })
  })

  app.addHook('onRequest', async req => {
    const { access, permission, self } = req.routeOptions.config
    if (access === 'open') return
    const bootstrapOpen = access === 'bootstrap' && !store.inCluster
    if (!store.inCluster && !bootstrapOpen) throw nodeNotInCluster()
    checkHeaders(req)
    checkApiVersion(req)
    if (bootstrapOpen) return
    const header = req.headers.authorization
    if (header === undefined) throw unauthorized()
    // Basic, `JWT <token>` or `Bearer <token>` (DECISIONS #13); 401 unauthorized or user_locked.
    const user = store.access.authenticateHeader(header)
    req.user = user
    req.role = store.access.managementRole(user)
    if (permission === undefined || store.access.allows(user, permission)) return
    if (self === true && (req.params as { uid?: string }).uid === String(user.user.uid)) return
    throw insufficientPermissions(permission)
  })
}
