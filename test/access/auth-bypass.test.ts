// Issue 8: nothing passes the front door it should not, over a real HTTPS socket. Every route ×
// no credentials, malformed ones, a locked user, an expired token and each management role (by
// Basic and by token) against test/access/rbac-table.ts; then path and method tricks with no credentials.
import t from 'tap'
import { Agent } from 'node:https'
import { httpsCall, listenTestApp, rawExchange, rsErrorProblem } from '../helpers/raw.js'
import { basic, logins } from '../helpers/app.js'
import { rbacTable } from './rbac-table.js'
import { allows, managementRoles } from '../../src/base/permissions.js'

const T0 = Date.parse('2026-03-01T10:00:00Z')
const table = new Map(rbacTable.map(([method, url, access]) => [`${method} ${url}`, access]))
const probeUrl = (url: string): string =>
  url.replace(/:\w+(\([^)]*\))?/g, (_, re?: string) => re?.includes('\\d') === true ? '999999' : 'bypass-probe')
const MALFORMED = [
  'Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Basic YWRtaW5AcmVkaXMubG9jYWw6YWRtaW4===', // over-padded
  `Basic ${Buffer.from('admin@redis.local:admin\u0000').toString('base64')}`, 'Bearer', 'JWT', 'JWT not.a.token',
  'Digest username="admin@redis.local"', `basic  ${Buffer.from('admin@redis.local:wrong').toString('base64')}x`,
  'eyJhbGciOiJIUzI1NiJ9.e30.x', 'JWT eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1aWQiOjEsImV4cCI6OTk5OTk5OTk5OX0.'
]

t.test('every route × every kind of caller, against the permission table', async t => {
  const clock = { ms: T0, now () { return this.ms } }
  const { app, store, port } = await listenTestApp(t, { clock })
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  t.teardown(() => agent.destroy())
  const call = (method: string, path: string, authorization?: string, body?: string) =>
    httpsCall(port, method, path, { agent, body, headers: authorization === undefined ? {} : { authorization } })
  const token = async (as: keyof typeof logins, ttl: number) => JSON.parse((await call('POST', '/v1/users/authorize', logins[as], JSON.stringify({ ttl }))).body).access_token as string

  const tokens = Object.fromEntries(await Promise.all(managementRoles.map(async r => [r, await token(r as keyof typeof logins, 3600)])))
  const expired = await token('admin', 1)
  clock.ms += 2000
  // A user locked out after the policy's 5 wrong passwords: its right password then gets user_locked.
  const locked = basic('locked@redis.local', 'locked-out-1')
  const made = await call('POST', '/v1/users', logins.admin, JSON.stringify({ email: 'locked@redis.local', password: 'locked-out-1', role: 'admin', name: 'locked' }))
  t.equal(made.status, 200, 'an admin user to lock out')
  for (let i = 0; i < 5; i++) await call('GET', '/v1/users/role', basic('locked@redis.local', 'wrong'))
  t.equal(JSON.parse((await call('GET', '/v1/users/role', locked)).body).error_code, 'user_locked', 'it is locked')
  const before = store.clusterStateId
  const events = store.state.events.length

  let requests = 0
  for (const route of app.apiRoutes) {
    const key = `${route.method} ${route.url}`
    const access = table.get(key)
    t.ok(access !== undefined, `${key} is in the table`)
    if (access === undefined) continue
    const path = probeUrl(route.url)
    const body = route.method === 'POST' || route.method === 'PUT' ? '{"bypass_probe":true}' : undefined
    const ask = async (authorization: string | undefined) => { requests++; return call(route.method, path, authorization, body) }
    const refused = (res: { status: number, headers: Record<string, unknown>, body: string }, status: number, code: string, who: string) => {
      const problem = rsErrorProblem(res.status, res.headers['content-type'] as string, res.body, s => s === status)
      const got = problem === undefined ? JSON.parse(res.body).error_code : undefined
      t.ok(problem === undefined && got === code, `${key} ${who}: ${status} ${code}${problem === undefined ? (got === code ? '' : ` (got ${got})`) : ` (${problem})`}`)
    }
    if (route.url === '/_mock/health') {
      // The one route answering without credentials in every state (Docker HEALTHCHECK).
      for (const auth of [undefined, ...MALFORMED]) t.equal((await ask(auth)).status, 200, `${key} answers anyone`)
      continue
    }
    refused(await ask(undefined), 401, 'unauthorized', 'without credentials')
    for (const auth of MALFORMED) refused(await ask(auth), 401, 'unauthorized', `with ${auth.slice(0, 30)}`)
    refused(await ask(locked), 401, 'user_locked', 'as a locked admin')
    if (access === 'access:control') {
      // The control API takes an admin login or its own token, nothing else.
      refused(await ask(`JWT ${expired}`), 401, 'unauthorized', 'with an expired token')
      refused(await ask(`JWT ${tokens.admin}`), 401, 'unauthorized', 'with an RS token')
      for (const role of managementRoles) {
        if (role !== 'admin') refused(await ask(logins[role as keyof typeof logins]), 403, 'insufficient_permissions', `as ${role}`)
      }
      continue
    }
    refused(await ask(`JWT ${expired}`), 401, 'unauthorized', 'with an expired token')
    refused(await ask(`Bearer ${expired}`), 401, 'unauthorized', 'with an expired Bearer token')
    const permission = access.startsWith('access:') ? undefined : access.replace(' +self', '')
    for (const role of managementRoles) {
      for (const [how, auth] of [['Basic', logins[role as keyof typeof logins]], ['token', `JWT ${tokens[role]}`]] as const) {
        const res = await ask(auth)
        if (permission !== undefined && !allows(role, permission)) {
          refused(res, 403, 'insufficient_permissions', `as ${role} (${how}), lacking ${permission}`)
        } else {
          const code = res.status === 401 || res.status === 403 ? JSON.parse(res.body).error_code : ''
          t.ok(res.status !== 401 && res.status !== 403, `${key} as ${role} (${how}) passes the door (${res.status} ${code})`)
        }
      }
    }
  }
  t.equal(store.clusterStateId, before, 'no probe changed the state')
  t.equal(store.state.events.length, events, 'and none was a failed login (malformed credentials are not logins)')
  t.comment(`${requests} requests over HTTPS across ${app.apiRoutes.length} routes`)
})

t.test('only bootstrap and health answer without credentials on a fresh node', async t => {
  const { app, port } = await listenTestApp(t, { freshNode: true })
  for (const route of app.apiRoutes) {
    const res = await httpsCall(port, route.method, probeUrl(route.url), route.method === 'POST' ? { body: '{}' } : {})
    const access = table.get(`${route.method} ${route.url}`)
    if (access === 'access:bootstrap' || route.url === '/_mock/health') {
      t.ok(res.status < 500 && res.status !== 401, `${route.method} ${route.url}: answers (${res.status})`)
    } else if (access === 'access:control') {
      t.equal(res.status, 401, `${route.method} ${route.url}: 401 without credentials`)
    } else {
      t.equal(JSON.parse(res.body).error_code, 'node_not_in_cluster', `${route.method} ${route.url}: 503, not the handler`)
    }
  }
})

t.test('path and method tricks do not reach a protected handler without credentials', async t => {
  const { port, store } = await listenTestApp(t)
  const before = store.clusterStateId
  // What a refused trick may answer: the route's 401, or no route at all. Never a handler's answer.
  const REFUSALS = new Set(['unauthorized', 'not_found', 'method_not_allowed', 'invalid_url', 'bad_request'])
  const paths = [
    '/v1/bdbs/', '/v1/bdbs//', '//v1/bdbs', '/v1//bdbs', '/V1/BDBS', '/v1/Bdbs', '/v1/%62dbs', '/%76%31/bdbs', '/v1/bdbs%2F1',
    '/v1/bdbs;x=1', '/v1/bdbs/1;x=1', '/v1/bdbs/1/', '/v1/bdbs/../users', '/v1/x/../bdbs', '/v1/./bdbs', '/v1/bdbs/.', '/v1/bdbs/%2e%2e/users',
    '/_mock/../v1/bdbs', '/_mock/health/../../v1/users', '/_mock/health/..%2f..%2fv1%2fusers', '/_mock%2fhealth', '/v1/bdbs%00', '/v1/bdbs%20',
    '/v1/bdbs?x=/_mock/health', '/v1/bdbs#/_mock/health', '/v1/users/permissions/../../users', '/v1/bdbs/1%3f', '/v1/bdbs/%31',
    '/v1/bootstrap/../bdbs', '/v1/bootstrap/..%2fbdbs', '/_MOCK/state', '/_mock/state/', '/_mock//state', '/_mock/%73tate', '/_mock/state;x=1'
  ]
  for (const path of paths) {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const res = await rawExchange(port, `${method} ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-length: 2\r\ncontent-type: application/json\r\n\r\n{}`)
      const code = (() => { try { return JSON.parse(res.body).error_code as string } catch { return `(${res.body.slice(0, 40)})` } })()
      t.ok(res.status >= 400 && res.status < 500 && REFUSALS.has(code), `${method} ${path}: ${res.status} ${code}`)
    }
  }
  // Methods: HEAD is GET without a body (so 401 too); OPTIONS and TRACE are no route of the RS API.
  const head = await httpsCall(port, 'HEAD', '/v1/bdbs')
  t.equal(head.status, 401, 'HEAD /v1/bdbs without credentials: 401')
  t.equal(head.body, '', 'no body on HEAD')
  for (const method of ['OPTIONS', 'TRACE']) {
    for (const path of ['/v1/bdbs', '/v1/users', '/_mock/state']) {
      const res = await httpsCall(port, method, path)
      t.ok([401, 404, 405].includes(res.status) && rsErrorProblem(res.status, res.headers['content-type'] as string, res.body) === undefined,
        `${method} ${path}: ${res.status} ${res.body.slice(0, 60)}`)
      t.notMatch(res.body, /admin@redis\.local|authorization/i, `${method} ${path} echoes nothing back`)
    }
  }
  // X-HTTP-Method-Override (and its cousins) are ignored: the wire method is the method.
  for (const header of ['x-http-method-override', 'x-http-method', 'x-method-override']) {
    const get = await httpsCall(port, 'POST', '/v1/bdbs', { headers: { [header]: 'GET' }, body: '{}' })
    t.equal(get.status, 401, `POST + ${header}: GET without credentials is a POST: 401`)
    const asViewer = await httpsCall(port, 'POST', '/v1/bdbs', { headers: { [header]: 'GET', authorization: logins.db_viewer }, body: '{}' })
    t.equal(JSON.parse(asViewer.body).error_code, 'insufficient_permissions', `POST + ${header}: GET as db_viewer is still a POST: 403`)
    const del = await httpsCall(port, 'GET', '/v1/bdbs/1', { headers: { [header]: 'DELETE', authorization: logins.admin } })
    t.equal(del.status, 200, `GET + ${header}: DELETE as admin is a GET`)
    const viaPost = await httpsCall(port, 'POST', '/v1/bdbs/1', { headers: { [header]: 'DELETE', authorization: logins.admin }, body: '{}' })
    t.equal(JSON.parse(viaPost.body).error_code, 'method_not_allowed', `POST /v1/bdbs/1 + ${header}: DELETE is a 405, not a delete`)
  }
  t.equal(store.state.bdbs.size, 3, 'no database deleted or created')
  t.equal(store.clusterStateId, before, 'nothing changed')
})
