// Permission is a union derived from the permission table: a misspelt name in a route's config
// fails `npm run typecheck` (the @ts-expect-error below would then be unused, itself an error).
import t from 'tap'
import type { FastifyContextConfig } from 'fastify'
import type {} from '../../src/http/front-door.js'
import { permissionRoles, type Permission } from '../../src/base/permissions.js'

const good: FastifyContextConfig = { permission: 'view_bdb_info' }
// @ts-expect-error a permission that is not in the table
const misspelt: FastifyContextConfig = { permission: 'view_bdb_infos' }

t.test('the type and the table name the same permissions', async t => {
  const every: Permission[] = ['view_bdb_info', 'update_cluster', 'view_debugging_info']
  for (const p of every) t.ok(permissionRoles.has(p), p)
  t.ok(permissionRoles.has(good.permission!))
  t.notOk(permissionRoles.has(misspelt.permission!), 'the misspelt one is not a permission at run time either')
})
