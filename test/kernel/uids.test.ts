// Uids are never handed out twice: after a delete, and across restarts with a state file.
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { attachStateFile } from '../../src/persistence.js'
import { buildTestApp, isRsError } from '../helpers/app.js'

const seed = loadSeed(defaultFixturesDir)
const creates = {
  '/v1/users': (i: number) => ({ email: `u${i}@x.io`, password: `pw-u-${i}`, role_uids: [4] }),
  '/v1/roles': (i: number) => ({ name: `role-${i}`, management: 'db_viewer' }),
  '/v1/redis_acls': (i: number) => ({ name: `acl-${i}`, acl: '+@read ~*' }),
  '/v1/bdbs': (i: number) => ({ name: `db-${i}`, memory_size: 104857600 })
}

t.test('a deleted object\'s uid is never handed out again, for every kind', async t => {
  const { call, store } = await buildTestApp(t)
  for (const [path, body] of Object.entries(creates)) {
    const seen = new Set<number>()
    for (let i = 0; i < 3; i++) {
      const made = await call('POST', path, { body: body(i) })
      t.equal(made.statusCode, 200, `${path} create ${i}`)
      const uid = made.json().uid as number
      t.notOk(seen.has(uid), `${path}: uid ${uid} is new`)
      seen.add(uid)
      store.core.completeAll()
      t.equal((await call('DELETE', `${path}/${uid}`)).statusCode, 200, `${path} delete ${uid}`)
      store.core.completeAll()
      isRsError(t, await call('GET', `${path}/${uid}`), 404, `${path === '/v1/bdbs' ? 'bdb' : path === '/v1/users' ? 'user' : path === '/v1/roles' ? 'role' : 'redis_acl'}_not_found`)
    }
  }
  // Reset starts over from the fixtures.
  t.equal((await call('POST', '/_mock/reset')).statusCode, 200)
  t.same(store.state.lastUids, { bdbs: 0, users: 0, roles: 0, redisAcls: 0 })
})

t.test('with --state-file the used uids survive a restart; a state file without them still loads', async t => {
  const path = join(t.testdir(), 'state.json')
  const boot = async () => {
    const { call } = await buildTestApp(t, { stateFile: path })
    return (method: 'POST' | 'DELETE', url: string, body?: object) => call(method, url, { body })
  }
  let call = await boot()
  const first = (await call('POST', '/v1/users', creates['/v1/users'](1))).json().uid as number
  t.equal((await call('DELETE', `/v1/users/${first}`)).statusCode, 200)
  call = await boot()
  const second = (await call('POST', '/v1/users', creates['/v1/users'](2))).json().uid as number
  t.ok(second > first, `after a restart: ${second} > ${first}`)

  // Today's state documents have no lastUids: they load with none retired.
  const doc = JSON.parse(readFileSync(path, 'utf8'))
  delete doc.state.lastUids
  writeFileSync(path, JSON.stringify(doc))
  call = await boot()
  t.equal((await call('POST', '/v1/roles', creates['/v1/roles'](1))).statusCode, 200)
  doc.state.lastUids = { bdbs: -1 }
  writeFileSync(path, JSON.stringify(doc))
  t.throws(() => attachStateFile(createStore(seed), path), { name: 'ConfigError', message: /lastUids/ })
})
