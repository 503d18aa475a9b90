// A secrets manager's day (Vault's Redis Enterprise plugin does exactly this) over a real HTTPS
// socket: find a bdb and an ACL by name, create a role bound to the bdb with the ACL, create a
// user holding it, rotate its password, then delete the user and the role: the binding goes too.
import t from 'tap'
import { request } from 'node:https'
import { join } from 'node:path'
import { loadConfig, type Config } from '../../src/config.js'
import { startServer } from '../../src/server.js'

interface Answer { status: number, body: any, text: string }

function send (base: string, method: string, path: string, auth: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const headers: Record<string, string> = { accept: 'application/json', authorization: auth }
  if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) })
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, rejectUnauthorized: false }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', c => { text += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, body: text === '' ? undefined : JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const basic = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')

t.test('secrets-manager flow over HTTPS', async t => {
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--certs-dir', join(t.testdir(), 'certs'), '--log-level', 'silent'], {}) as Config
  const server = await startServer(config)
  t.teardown(() => server.close())
  const admin = basic('admin@redis.local', 'admin')
  const api = (method: string, path: string, body?: unknown, auth = admin) => send(server.url, method, path, auth, body)

  const bdb = (await api('GET', '/v1/bdbs?fields=uid,name')).body.find((b: { name: string }) => b.name === 'cache')
  t.ok(bdb, 'the bdb found by name')
  const acl = (await api('GET', '/v1/redis_acls')).body.find((a: { name: string }) => a.name === 'Read Only')
  t.ok(acl, 'the ACL found by name')

  const role = await api('POST', '/v1/roles', { name: 'vault-cache-ro', management: 'db_viewer' })
  t.equal(role.status, 200, role.text)
  const binding = { role_uid: role.body.uid, redis_acl_uid: acl.uid }
  const bound = await api('PUT', `/v1/bdbs/${bdb.uid}`, { roles_permissions: [binding] })
  t.equal(bound.status, 200, bound.text)
  t.same((await api('GET', `/v1/bdbs/${bdb.uid}?fields=roles_permissions`)).body.roles_permissions, [binding], 'bound')

  const created = await api('POST', '/v1/users', { email: 'v-token-1@vault.local', name: 'v-token-1', password: 'first-Secret-1', role_uids: [role.body.uid] })
  t.equal(created.status, 200, created.text)
  t.equal(created.body.role, 'db_viewer')
  t.notOk('password' in created.body)
  const uid = created.body.uid as number
  const first = basic('v-token-1@vault.local', 'first-Secret-1')
  t.same((await api('GET', '/v1/users/role', undefined, first)).body, { role: 'db_viewer' }, 'the new user logs in')

  const rotated = await api('PUT', `/v1/users/${uid}`, { password: 'second-Secret-2' })
  t.equal(rotated.status, 200, rotated.text)
  t.equal((await api('GET', '/v1/bdbs', undefined, first)).status, 401, 'the old password is dead at once')
  const second = basic('v-token-1@vault.local', 'second-Secret-2')
  t.equal((await api('GET', '/v1/bdbs', undefined, second)).status, 200)
  const token = (await api('POST', '/v1/users/authorize', { ttl: 60 }, second)).body.access_token as string
  t.equal((await api('GET', `/v1/bdbs/${bdb.uid}`, undefined, `Bearer ${token}`)).status, 200, 'and its token works')

  const gone = await api('DELETE', `/v1/users/${uid}`)
  t.equal(gone.status, 200)
  t.type(gone.body.action_uid, 'string')
  t.equal((await api('GET', '/v1/bdbs', undefined, second)).status, 401, 'a deleted user cannot log in')
  t.equal((await api('GET', '/v1/bdbs', undefined, `Bearer ${token}`)).status, 401, 'nor use its token')

  const roleGone = await api('DELETE', `/v1/roles/${role.body.uid}`)
  t.equal(roleGone.status, 200, roleGone.text)
  t.same((await api('GET', `/v1/bdbs/${bdb.uid}?fields=roles_permissions`)).body.roles_permissions, [], 'the binding went with the role')
  t.equal((await api('GET', `/v1/roles/${role.body.uid}`)).status, 404)

  const logs = await api('GET', '/v1/logs')
  t.equal(logs.status, 200)
  const types = (logs.body as Array<{ type: string }>).map(e => e.type)
  for (const type of ['role_created', 'user_created', 'user_updated', 'user_deleted', 'role_deleted']) t.ok(types.includes(type), `${type} logged`)
  t.notMatch(logs.text, /Secret-|eyJ/, 'no password or token in the log')
})
