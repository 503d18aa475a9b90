// Every route × every management role against the table (issue 4, docs/decisions.md #4, #15).
// Part 1 pins each route's declared access to a row of test/access/rbac-table.ts; part 2 calls every
// route as each of the 7 fixture logins and expects 403 exactly where the role lacks the permission.
import t from 'tap'
import { buildTestApp, isRsError, logins } from '../helpers/app.js'
import { rbacTable } from './rbac-table.js'
import { allows, managementRoles, permissionRoles, permissionsOf } from '../../src/base/permissions.js'

type ApiRoute = { method: string, url: string, permission?: string, access?: string, self?: boolean }

const declared = (r: ApiRoute): string =>
  r.permission !== undefined ? r.permission + (r.self === true ? ' +self' : '') : r.access !== undefined ? `access:${r.access}` : 'nothing declared'
const table = new Map(rbacTable.map(([method, url, access]) => [`${method} ${url}`, access]))

/** Fills path parameters with values no object has: integer uids 999999, others a word. */
const probeUrl = (url: string): string =>
  url.replace(/:\w+(\([^)]*\))?/g, (_, re?: string) => re?.includes('\\d') === true ? '999999' : 'rbac-probe')

async function routes (): Promise<ApiRoute[]> {
  const { app } = await buildTestApp(t)
  return [...app.apiRoutes]
}

t.test('every route declares the access its row in test/access/rbac-table.ts gives', async t => {
  const registered = await routes()
  t.equal(table.size, rbacTable.length, 'no duplicate rows')
  const seen = new Set<string>()
  for (const r of registered) {
    const key = `${r.method} ${r.url}`
    seen.add(key)
    const want = table.get(key)
    if (want === undefined) {
      t.fail(`${key} has no row in test/access/rbac-table.ts: check its permission in docs/rs-api-notes.md §6.1 and add ${JSON.stringify([r.method, r.url, declared(r)])}`)
      continue
    }
    t.equal(declared(r), want, key)
  }
  for (const key of table.keys()) if (!seen.has(key)) t.fail(`test/access/rbac-table.ts has a row for ${key}, which the app does not register: remove it`)
  for (const [, , access] of rbacTable) {
    if (!access.startsWith('access:')) t.ok(permissionRoles.has(access.replace(' +self', '')), `${access} is a permission of src/permissions.ts`)
  }
})

t.test('the permission table (docs/rs-api-notes.md §6.1 with docs/decisions.md #15)', async t => {
  t.equal(permissionRoles.size, 96, 'every permission of the docs')
  t.same(permissionsOf('none'), [])
  t.equal(permissionsOf('admin').length, 96, 'admin holds them all')
  t.notOk(allows('user_manager', 'view_debugging_info'), 'docs/decisions.md #15')
  t.notOk(allows('user_manager', 'view_bdb_recovery_plan'), 'docs/decisions.md #15')
  t.ok(allows('db_member', 'view_debugging_info'))
  t.notOk(allows('db_viewer', 'view_logged_events'))
  t.ok(allows('user_manager', 'install_new_license'))
  t.notOk(allows('cluster_member', 'create_new_user'))
  t.same(permissionsOf('cluster_viewer').filter(p => !p.startsWith('view_')), [], 'cluster_viewer only views')
  t.same([...managementRoles].sort(), Object.keys(logins).sort(), 'one fixture login per management role')
})

t.test('every route × every management role', async t => {
  // One app for all: the probes touch no object (uid 999999, bodies that fail validation).
  const { app, call, store } = await buildTestApp(t)
  const before = store.clusterStateId
  for (const route of app.apiRoutes) {
    // The control API's own login (admin or control token) is tested in control.test.ts.
    if (route.access === 'open' || route.access === 'control') continue
    const access = table.get(`${route.method} ${route.url}`) ?? declared(route)
    const permission = access.startsWith('access:') ? undefined : access.replace(' +self', '')
    const url = probeUrl(route.url)
    // A body no schema accepts: whoever passes the door gets a validation error, not a change.
    const body = route.method === 'POST' || route.method === 'PUT' ? { rbac_probe: true } : undefined
    for (const role of managementRoles) {
      const res = await call(route.method as 'GET', url, { as: role, body })
      const what = `${route.method} ${url} as ${role}`
      if (permission !== undefined && !allows(role, permission)) {
        isRsError(t, res, 403, 'insufficient_permissions', `${what}: 403, lacks ${permission}`)
      } else {
        const code = res.statusCode === 403 || res.statusCode === 401 ? (res.json() as { error_code?: string }).error_code : undefined
        t.ok(code !== 'insufficient_permissions' && res.statusCode !== 401, `${what}: passes the door (${res.statusCode} ${code ?? ''})`)
      }
    }
  }
  t.equal(store.clusterStateId, before, 'no probe changed the state (make yours fail validation or 404 if this fails)')
})
