import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { aclProblem } from '../../src/store/access/index.js'

t.test('GET /v1/redis_acls: the three built-ins (docs/decisions.md #17)', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/redis_acls', { as: 'db_viewer' })
  t.same(res.json(), [
    { uid: 1, name: 'Full Access', acl: '+@all ~*' },
    { uid: 2, name: 'Read Only', acl: '+@read ~*' },
    { uid: 3, name: 'Not Dangerous', acl: '+@all -@dangerous ~*' }
  ])
  t.same((await call('GET', '/v1/redis_acls/2?fields=acl')).json(), { acl: '+@read ~*' })
  isRsError(t, await call('GET', '/v1/redis_acls/9'), 404, 'redis_acl_not_found')
  isRsError(t, await call('GET', '/v1/redis_acls/1', { as: 'none' }), 403, 'insufficient_permissions')
})

t.test('POST /v1/redis_acls and validation', async t => {
  const { call, store } = await buildTestApp(t)
  const res = await call('POST', '/v1/redis_acls', { body: { acl: '~cache:* +@read +@write -flushdb', name: 'Cache RW' }, as: 'user_manager' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { uid: 4, name: 'Cache RW', acl: '~cache:* +@read +@write -flushdb' })
  t.match(store.state.events.at(-1), { type: 'redis_acl_created', redis_acl_uid: '4' })
  isRsError(t, await call('POST', '/v1/redis_acls', { body: { name: 'Cache RW', acl: '+@read ~*' } }), 400, 'name_already_exists')
  isRsError(t, await call('POST', '/v1/redis_acls', { body: { acl: '+@read ~*' } }), 400, 'missing_field')
  isRsError(t, await call('POST', '/v1/redis_acls', { body: { name: 'X' } }), 400, 'missing_field')
  isRsError(t, await call('POST', '/v1/redis_acls', { body: { name: 'X', acl: 'banana' } }), 400, 'invalid_param')
  isRsError(t, await call('POST', '/v1/redis_acls', { body: { name: 'X', acl: 7 } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/redis_acls', { body: { name: 'X', acl: '+@read ~*' }, as: 'cluster_member' }), 403, 'insufficient_permissions')
  const checked = await call('POST', '/v1/redis_acls/validate', { body: { name: 'Y', acl: '+@read ~*' } })
  t.equal(checked.statusCode, 200, 'the deprecated validate route')
  isRsError(t, await call('POST', '/v1/redis_acls/validate', { body: { name: 'Y', acl: '+@read >secret' } }), 400, 'invalid_param')
  t.equal((await call('POST', '/v1/redis_acls?dry_run', { body: { name: 'Z', acl: '+@read ~*' } })).statusCode, 200)
  t.equal(store.state.redisAcls.size, 4, 'validate and dry_run store nothing')
})

t.test('the ACL rule checker', async t => {
  for (const ok of ['+@all ~*', '+@read ~*', '+@all -@dangerous ~*', '~* +@geo', '+get +set|x ~k:* %R~r:* %RW~w:* &chan:*',
    'allkeys allcommands resetchannels', '+@read ~a:* (+@write ~tmp:*)', '+JSON.GET +ft.search ~*']) {
    t.equal(aclProblem(ok), undefined, ok)
  }
  for (const bad of ['', '   ', 'banana', '+@read >password', 'on', '+@read (~a', '+@read ~a)', '((+@read))', '@read']) {
    t.type(aclProblem(bad), 'string', JSON.stringify(bad))
  }
})

t.test('PUT and DELETE /v1/redis_acls/{uid}: built-ins are read-only, bound ACLs stay', async t => {
  const { call, store } = await buildTestApp(t)
  isRsError(t, await call('PUT', '/v1/redis_acls/1', { body: { acl: '+@read ~*' } }), 409, 'read_only_object')
  isRsError(t, await call('DELETE', '/v1/redis_acls/3'), 409, 'read_only_object')
  const uid = (await call('POST', '/v1/redis_acls', { body: { name: 'Geo', acl: '~* +@geo' } })).json().uid as number
  const put = await call('PUT', `/v1/redis_acls/${uid}`, { body: { acl: '~geo:* +@geo' } })
  t.same(put.json(), { uid, name: 'Geo', acl: '~geo:* +@geo' })
  t.match(store.state.events.at(-1), { type: 'redis_acl_updated', fields: 'acl' })
  isRsError(t, await call('PUT', `/v1/redis_acls/${uid}`, { body: { name: 'Read Only' } }), 400, 'name_already_exists')
  isRsError(t, await call('PUT', `/v1/redis_acls/${uid}`, { body: { acl: '+@geo nonsense' } }), 400, 'invalid_param')
  isRsError(t, await call('PUT', '/v1/redis_acls/77', { body: { acl: '+@geo' } }), 404, 'redis_acl_not_found')
  store.state.bdbs.get(1)!.roles_permissions.push({ role_uid: 5, redis_acl_uid: uid })
  isRsError(t, await call('DELETE', `/v1/redis_acls/${uid}`), 406, 'redis_acl_in_use')
  store.state.bdbs.get(1)!.roles_permissions = []
  const del = await call('DELETE', `/v1/redis_acls/${uid}`)
  t.equal(del.statusCode, 200)
  t.same(Object.keys(del.json()), ['action_uid'])
  isRsError(t, await call('GET', `/v1/redis_acls/${uid}`), 404, 'redis_acl_not_found')
  t.match(store.state.events.at(-1), { type: 'redis_acl_deleted', redis_acl_uid: String(uid), redis_acl_name: 'Geo' })
})
