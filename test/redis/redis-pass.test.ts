// view_redis_pass (docs/rs-api-notes.md §6.1): roles without it read bdbs without the database passwords.
import t from 'tap'
import { buildTestApp, logins } from '../helpers/app.js'

const SECRETS = ['authentication_admin_pass', 'authentication_redis_pass', 'authentication_sasl_pass']
const fieldsUrl = `/v1/bdbs/1?fields=uid,${SECRETS.join(',')}`
type Role = keyof typeof logins

t.test('viewers get no database password on any bdb read; roles holding view_redis_pass do', async t => {
  const { call } = await buildTestApp(t)
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { authentication_redis_pass: 'client-secret' } })).statusCode, 200)
  // Interleaved roles on the same URLs: the read cache must not hand one role's bytes to another.
  for (const round of [1, 2]) {
    for (const [as, sees] of [['admin', true], ['db_viewer', false], ['db_member', true], ['cluster_viewer', false], ['cluster_member', true], ['user_manager', true]] as Array<[Role, boolean]>) {
      for (const url of ['/v1/bdbs', '/v1/bdbs/1', fieldsUrl, '/v1/bdbs?fields=uid,authentication_redis_pass', '/v1/bdbs/1?extended=true']) {
        const res = await call('GET', url, { as })
        t.equal(res.statusCode, 200, `${as} ${url}`)
        const body = res.json()
        const bdb = Array.isArray(body) ? body.find((b: { uid: number }) => b.uid === 1) : body
        t.equal(bdb.uid, 1)
        if (sees) t.equal(bdb.authentication_redis_pass, 'client-secret', `round ${round}: ${as} reads the password at ${url}`)
        else {
          for (const k of SECRETS) t.notOk(k in bdb, `round ${round}: ${as} gets no ${k} at ${url}`)
          t.notMatch(res.body, /client-secret/)
        }
      }
    }
  }
  // Other fields still come to a viewer.
  const viewer = (await call('GET', '/v1/bdbs/1', { as: 'db_viewer' })).json()
  t.equal(viewer.name, (await call('GET', '/v1/bdbs/1')).json().name)
  t.same((await call('GET', fieldsUrl, { as: 'db_viewer' })).json(), { uid: 1 })
})
