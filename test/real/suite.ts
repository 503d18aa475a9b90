// The tests whose expectations hold for a real RS cluster as much as for the mock: statuses,
// error shapes, key sets and flows that the reference pages or the RS 8.0 captures back. They
// run against any target over HTTPS: real-cluster.test.ts points them at RS_TEST_URL when set,
// switch.test.ts at a second mock. They leave the cluster as they found it: what a flow creates
// it deletes, named rs-test-… so a leftover is easy to find.
import type { Test } from 'tap'
import { randomBytes } from 'node:crypto'
import { examples, readOnly, runExample, type Example } from '../examples/run.js'
import { exceptions } from '../examples/exceptions.js'
import { adaptations } from '../examples/adapt.js'
import type { ClusterTarget } from '../helpers/real-cluster.js'

/**
 * The documented examples a real cluster can take: read-only, with no stated exception and no
 * fixture state assumed. debuginfo is left out: on a real cluster it gathers logs for minutes.
 */
export const realExamples = examples.filter(ex => readOnly(ex) && exceptions[ex.id] === undefined &&
  adaptations[ex.id]?.expect === undefined && !ex.path.includes('debuginfo'))

// A cluster's own databases, nodes and alerts are not the page's: keys named by a uid (`"1": {...}`)
// are about its state, not the API.
const aboutState = (problem: string) => /(^|\.)\d+(\.|:|$)/.test(problem)

export async function realClusterSuite (t: Test, target: ClusterTarget): Promise<void> {
  t.test('documented read-only examples', async t => {
    t.ok(realExamples.length > 50, `${realExamples.length} examples`)
    for (const ex of realExamples) await t.test(`${ex.method} ${ex.path}`, async t => { await judged(t, ex, target) })
  })

  t.test('an unknown login is 401', async t => {
    const res = await target.sendAs(`rs-test-nobody-${randomBytes(4).toString('hex')}@example.com`, 'not-a-password')('GET', '/v1/cluster', { headers: {} })
    t.equal(res.status, 401)
  })

  t.test('an unknown database is 404 with an RS error body', async t => {
    const res = await target.send('GET', '/v1/bdbs/987654', { headers: {} })
    t.equal(res.status, 404)
    const body = JSON.parse(res.body) as Record<string, unknown>
    t.type(body.error_code, 'string')
    t.type(body.description, 'string')
  })

  t.test('a user is created, read, changed and deleted', async t => {
    const email = `rs-test-${randomBytes(4).toString('hex')}@example.com`
    // On a cluster with roles (RBAC), the page asks for role_uids rather than role.
    const roles = JSON.parse((await target.send('GET', '/v1/roles', { headers: {} })).body) as Array<{ uid: number, management: string }>
    const viewer = roles.find(r => r.management === 'db_viewer')
    const access = viewer === undefined ? { role: 'db_viewer' } : { role_uids: [viewer.uid] }
    const created = await target.send('POST', '/v1/users', { headers: { 'content-type': 'application/json' }, body: { email, password: `Rs-Test-${randomBytes(6).toString('hex')}`, name: 'rs-test user', ...access } })
    t.equal(created.status, 200, created.body)
    const user = JSON.parse(created.body) as { uid: number, email: string }
    t.type(user.uid, 'number')
    t.equal(user.email, email)
    let deleted = false
    t.teardown(async () => { if (!deleted) await target.send('DELETE', `/v1/users/${user.uid}`, { headers: {} }) })
    t.equal(JSON.parse((await target.send('GET', `/v1/users/${user.uid}`, { headers: {} })).body).name, 'rs-test user')
    t.equal((await target.send('PUT', `/v1/users/${user.uid}`, { headers: { 'content-type': 'application/json' }, body: { name: 'rs-test renamed' } })).status, 200)
    t.equal(JSON.parse((await target.send('GET', `/v1/users/${user.uid}`, { headers: {} })).body).name, 'rs-test renamed', 'the change shows in the read')
    t.equal((await target.send('DELETE', `/v1/users/${user.uid}`, { headers: {} })).status, 200)
    deleted = true
    t.equal((await target.send('GET', `/v1/users/${user.uid}`, { headers: {} })).status, 404, 'gone')
  })

  t.test('a role is created, read and deleted', async t => {
    const name = `rs-test-${randomBytes(4).toString('hex')}`
    const created = await target.send('POST', '/v1/roles', { headers: { 'content-type': 'application/json' }, body: { name, management: 'db_viewer' } })
    t.equal(created.status, 200, created.body)
    const role = JSON.parse(created.body) as { uid: number, name: string, management: string }
    t.same({ name: role.name, management: role.management }, { name, management: 'db_viewer' })
    let deleted = false
    t.teardown(async () => { if (!deleted) await target.send('DELETE', `/v1/roles/${role.uid}`, { headers: {} }) })
    const listed = JSON.parse((await target.send('GET', '/v1/roles', { headers: {} })).body) as Array<{ uid: number }>
    t.ok(listed.some(r => r.uid === role.uid), 'listed')
    t.equal((await target.send('DELETE', `/v1/roles/${role.uid}`, { headers: {} })).status, 200)
    deleted = true
    t.equal((await target.send('GET', `/v1/roles/${role.uid}`, { headers: {} })).status, 404, 'gone')
  })
}

/**
 * One example, judged as on the mock except that a documented error status passes (the cluster
 * may have no database 1) and keys named by a uid are not asked for.
 */
async function judged (t: Test, ex: Example, target: ClusterTarget) {
  const o = await runExample(ex, target.send)
  const status = (o.problems.status ?? []).filter(p => !p.endsWith('for a valid example'))
  t.same(status, [], `${o.status} is documented`)
  t.same(o.problems.error ?? [], [], 'the error body is as documented')
  t.same((o.problems.keys ?? []).filter(p => !aboutState(p)), [], 'the documented keys, with their JSON types')
}
