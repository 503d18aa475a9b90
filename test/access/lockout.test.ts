import t, { type Test } from 'tap'
import { buildTestApp, basic, isRsError } from '../helpers/app.js'

const wrong = basic('cluster-member@redis.local', 'wrong')
const right = basic('cluster-member@redis.local', 'cluster-member')

async function lockable (t: Test, policy: Record<string, number> = {}) {
  const clock = { ms: Date.parse('2026-03-01T10:00:00Z'), now () { return this.ms } }
  const built = await buildTestApp(t, { clock })
  Object.assign(built.store.state.policy, policy)
  const as = (authorization: string, url = '/v1/bdbs') => built.call('GET', url, { headers: { authorization } })
  const advance = (seconds: number) => { clock.ms += seconds * 1000 }
  return { ...built, as, advance }
}

t.test('five failures lock the user; the right password then gets user_locked until the duration passes', async t => {
  const { as, advance, call, store } = await lockable(t)
  t.equal((await as(right)).statusCode, 200, 'works (and the header is remembered)')
  for (let i = 1; i <= 4; i++) isRsError(t, await as(wrong), 401, 'unauthorized', `failure ${i}`)
  const fifth = await as(wrong)
  isRsError(t, fifth, 401, 'user_locked', 'the fifth failure locks')
  t.equal(fifth.headers['www-authenticate'], 'Basic realm="Redis Enterprise"')
  isRsError(t, await as(right), 401, 'user_locked', 'even with the right (remembered) password')
  t.equal((await call('GET', '/v1/users/2')).json().status, 'locked')
  t.match(store.state.events.filter(e => e.type === 'user_login_failed'), [{ user_uid: '2', severity: 'WARNING' }])
  t.match(store.state.events.find(e => e.type === 'user_locked'), { user_uid: '2', lockout_duration: 1800 })
  t.notMatch(JSON.stringify(store.state.events), /wrong|cluster-member"/, 'no password in the events')
  advance(1799)
  isRsError(t, await as(right), 401, 'user_locked')
  advance(1)
  t.equal((await call('GET', '/v1/users/2')).json().status, 'active', 'the lock ends with its duration')
  t.equal((await as(right)).statusCode, 200)
  for (let i = 1; i <= 4; i++) await as(wrong)
  t.equal((await as(right)).statusCode, 200, 'a success resets the counter...')
  for (let i = 1; i <= 4; i++) await as(wrong)
  t.equal((await as(right)).statusCode, 200, '...so four more failures do not lock')
})

t.test('the counter resets after login_lockout_counter_reset_after without failures', async t => {
  const { as, advance } = await lockable(t, { login_lockout_counter_reset_after: 60 })
  for (let i = 0; i < 4; i++) await as(wrong)
  advance(59)
  isRsError(t, await as(wrong), 401, 'user_locked', 'five within the window')
  const fresh = await lockable(t, { login_lockout_counter_reset_after: 60 })
  for (let i = 0; i < 4; i++) await fresh.as(wrong)
  fresh.advance(60)
  for (let i = 0; i < 4; i++) isRsError(t, await fresh.as(wrong), 401, 'unauthorized')
  t.equal((await fresh.as(right)).statusCode, 200, 'the window restarted')
})

t.test('duration 0: locked until an admin sets a new password', async t => {
  const { as, advance, call } = await lockable(t, { login_lockout_duration: 0, login_lockout_threshold: 2 })
  await as(wrong)
  isRsError(t, await as(wrong), 401, 'user_locked')
  advance(365 * 86400)
  isRsError(t, await as(right), 401, 'user_locked', 'a year later')
  const res = await call('PUT', '/v1/users/2', { body: { password: 'fresh-one' } })
  t.equal(res.json().status, 'active', 'a new password unlocks')
  t.equal((await as(basic('cluster-member@redis.local', 'fresh-one'))).statusCode, 200)
  isRsError(t, await as(right), 401, 'unauthorized', 'the old password is gone')
})

t.test('threshold 0 disables the lockout; unknown users never lock anyone', async t => {
  const off = await lockable(t, { login_lockout_threshold: 0 })
  for (let i = 0; i < 20; i++) await off.as(wrong)
  t.equal((await off.as(right)).statusCode, 200)
  const { as, store } = await lockable(t)
  for (let i = 0; i < 20; i++) isRsError(t, await as(basic('ghost@redis.local', 'cluster-member')), 401, 'unauthorized')
  for (let i = 0; i < 20; i++) await as(basic('ghost@redis.local', 'x'))
  t.equal((await as(right)).statusCode, 200)
  t.notOk([...store.state.users.values()].some(r => r.user.status === 'locked'))
  const failed = store.state.events.filter(e => e.type === 'user_login_failed')
  t.equal(failed.length, 40, 'logged all the same')
  t.notMatch(JSON.stringify(failed), /ghost/, 'without the attempted login name')
})

t.test('a locked user cannot use its tokens either', async t => {
  const { as, call } = await lockable(t)
  const token = (await call('POST', '/v1/users/authorize', { headers: { authorization: right } })).json().access_token as string
  t.equal((await as(`JWT ${token}`)).statusCode, 200)
  for (let i = 0; i < 5; i++) await as(wrong)
  isRsError(t, await as(`JWT ${token}`), 401, 'user_locked')
})
