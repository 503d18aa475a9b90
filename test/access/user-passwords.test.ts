// /v1/users/password: several active passwords per user, each accepted by Basic auth; and the
// cluster's password hashing algorithm.
import t from 'tap'
import { join } from 'node:path'
import { basic, buildTestApp, isRsError } from '../helpers/app.js'

const DB = 'db-member@redis.local'
const as = (user: string, password: string) => ({ headers: { authorization: basic(user, password) } })

t.test('POST adds a password: both log in; DELETE removes one; the last one stays', async t => {
  const { call, store } = await buildTestApp(t)
  const whoami = (pw: string) => call('GET', '/v1/users/role', as(DB, pw))
  t.equal((await whoami('db-member')).statusCode, 200, 'the fixture password')
  const add = await call('POST', '/v1/users/password', { body: { new_password: 'second-one' }, ...as(DB, 'db-member') })
  t.equal(add.statusCode, 200)
  t.equal(add.body, '', 'status only')
  t.equal((await whoami('second-one')).statusCode, 200, 'the added password logs in')
  t.equal((await whoami('db-member')).statusCode, 200, 'the first one still does')
  isRsError(t, await whoami('third'), 401, 'unauthorized')
  t.match(store.state.events.find(e => e.type === 'user_password_changed'), { user_uid: '4', change: 'add' })
  t.notMatch(JSON.stringify(store.state.events), /second-one/, 'never logged')

  isRsError(t, await call('POST', '/v1/users/password', { body: { new_password: 'db-member' }, ...as(DB, 'second-one') }),
    400, 'new_password_same_as_current')
  isRsError(t, await call('DELETE', '/v1/users/password', { body: { old_password: 'nope' }, ...as(DB, 'second-one') }), 400, 'bad_request')
  t.equal((await call('DELETE', '/v1/users/password', { body: { old_password: 'db-member' }, ...as(DB, 'second-one') })).statusCode, 200)
  isRsError(t, await whoami('db-member'), 401, 'unauthorized', 'the removed password is refused at once')
  t.equal((await whoami('second-one')).statusCode, 200)
  isRsError(t, await call('DELETE', '/v1/users/password', { body: { old_password: 'second-one' }, ...as(DB, 'second-one') }),
    400, 'cannot_delete_last_password')
  t.equal((await whoami('second-one')).statusCode, 200, 'still there')
})

t.test('PUT replaces every password with one', async t => {
  const { call } = await buildTestApp(t)
  await call('POST', '/v1/users/password', { body: { new_password: 'extra-1' }, ...as(DB, 'db-member') })
  const put = await call('PUT', '/v1/users/password', { body: { new_password: 'only-one' }, ...as(DB, 'extra-1') })
  t.equal(put.statusCode, 200)
  for (const old of ['db-member', 'extra-1']) isRsError(t, await call('GET', '/v1/users/role', as(DB, old)), 401, 'unauthorized', `${old} is gone`)
  t.equal((await call('GET', '/v1/users/role', as(DB, 'only-one'))).statusCode, 200)
  isRsError(t, await call('PUT', '/v1/users/password', { body: { new_password: 'only-one' }, ...as(DB, 'only-one') }), 400, 'new_password_same_as_current')
})

t.test('another user: admin only; an unknown username; complexity; bad bodies', async t => {
  const { call, store } = await buildTestApp(t)
  const before = store.clusterStateId
  isRsError(t, await call('POST', '/v1/users/password', { body: { username: 'admin@redis.local', new_password: 'x-y-z' }, as: 'user_manager' }),
    403, 'unauthorized_action')
  isRsError(t, await call('POST', '/v1/users/password', { body: { username: 'ghost@redis.local', new_password: 'x-y-z' }, as: 'user_manager' }),
    403, 'unauthorized_action', 'a non-admin cannot learn which logins exist')
  isRsError(t, await call('PUT', '/v1/users/password', { body: { username: 'ghost@redis.local', new_password: 'x-y-z' } }), 404, 'user_not_exist')
  isRsError(t, await call('POST', '/v1/users/password', { body: { username: DB } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/users/password', { body: { new_password: 1 } }), 400, 'invalid_schema')
  isRsError(t, await call('DELETE', '/v1/users/password'), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/users/password', { body: { new_password: 'x', extra: 1 } }), 400, 'invalid_schema')
  t.equal(store.clusterStateId, before, 'nothing changed')

  t.equal((await call('POST', '/v1/users/password', { body: { username: DB, new_password: 'set-by-admin' } })).statusCode, 200)
  t.equal((await call('GET', '/v1/users/role', as(DB, 'set-by-admin'))).statusCode, 200, 'the admin added it')

  store.state.cluster.password_complexity = true
  isRsError(t, await call('POST', '/v1/users/password', { body: { new_password: 'simple' }, as: 'db_viewer' }), 400, 'password_not_complex')
  t.equal((await call('POST', '/v1/users/password', { body: { new_password: 'Str0ng!Pass' }, as: 'db_viewer' })).statusCode, 200)
})

t.test('extra passwords are saved with --state-file and undone by reset', async t => {
  const path = join(t.testdir(), 'state.json')
  const open = () => buildTestApp(t, { stateFile: path })
  const first = await open()
  t.equal((await first.call('POST', '/v1/users/password', { body: { new_password: 'kept-on-disk' } })).statusCode, 200)
  const second = await open()
  const login = () => second.call('GET', '/v1/users/role', { headers: { authorization: basic('admin@redis.local', 'kept-on-disk') } })
  t.equal((await login()).statusCode, 200, 'loaded from the file')
  t.equal((await second.call('POST', '/_mock/reset')).statusCode, 200)
  t.equal((await login()).statusCode, 401, 'reset forgets it')
})

t.test('PATCH /v1/cluster/change_password_hashing_algorithm', async t => {
  const { call, store } = await buildTestApp(t)
  const algorithm = async () => (await call('GET', '/v1/cluster?fields=password_hashing_algorithm')).json().password_hashing_algorithm
  t.equal(await algorithm(), 'SHA-256')
  isRsError(t, await call('PATCH', '/v1/cluster/change_password_hashing_algorithm', { body: { algorithm: 'SHA-256' } }), 400, 'bad_request')
  isRsError(t, await call('PATCH', '/v1/cluster/change_password_hashing_algorithm', { body: { algorithm: 'md5' } }), 400, 'invalid_schema')
  isRsError(t, await call('PATCH', '/v1/cluster/change_password_hashing_algorithm', { body: {} }), 400, 'invalid_schema')
  isRsError(t, await call('PATCH', '/v1/cluster/change_password_hashing_algorithm', { body: { algorithm: 'PBKDF2' }, as: 'cluster_member' }),
    403, 'insufficient_permissions')
  const res = await call('PATCH', '/v1/cluster/change_password_hashing_algorithm', { body: { algorithm: 'PBKDF2' } })
  t.equal(res.statusCode, 200)
  t.equal(await algorithm(), 'PBKDF2')
  t.match(store.state.events.at(-1), { type: 'cluster_password_hashing_algorithm_updated', old_val: 'SHA-256', new_val: 'PBKDF2' })
  t.equal((await call('GET', '/v1/users/role', as(DB, 'db-member'))).statusCode, 200, 'existing passwords still log in')
  await call('POST', '/v1/users/password', { body: { new_password: 'hashed-anew' }, as: 'db_member' })
  t.match(store.state.users.get(4)?.extraPasswords?.[0].hash, /^pbkdf2\$/, 'a new password is hashed with PBKDF2')
  t.equal((await call('GET', '/v1/users/role', as(DB, 'hashed-anew'))).statusCode, 200, 'and logs in')
})
