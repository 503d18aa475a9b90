// POST /_mock/nodes/join on the master: no more nodes than a cluster can have, and the joining
// node gets the state it answers from, not the cluster's private keys, bind password or log.
import t from 'tap'
import { generate } from 'selfsigned'
import { createMock } from '../../src/index.js'
import { MAX_NODES } from '../../src/store/topology/index.js'

const join = (i: number) => ({ url: `https://127.0.0.${i % 250 + 1}:${9000 + i}`, token: 'x'.repeat(16) })

t.test('the 33rd node is refused with 406 insufficient_resources, dry run too', async t => {
  const mock = await createMock({ nodes: MAX_NODES - 1 })
  t.teardown(() => mock.close())
  const ok = await mock.inject({ method: 'POST', url: '/_mock/nodes/join', payload: join(1) })
  t.equal(ok.statusCode, 200, `node ${MAX_NODES} joins`)
  for (const payload of [join(2), { ...join(3), dry_run: true }]) {
    const res = await mock.inject({ method: 'POST', url: '/_mock/nodes/join', payload })
    t.same([res.statusCode, res.json().error_code], [406, 'insufficient_resources'])
  }
  t.equal(mock.store.state.nodes.size, MAX_NODES)
})

t.test('the joining node is sent no private key, no LDAP bind password and no event log', async t => {
  const mock = await createMock()
  t.teardown(() => mock.close())
  const pems = await generate([{ name: 'commonName', value: 'proxy' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' })
  const put = await mock.inject({ method: 'PUT', url: '/v1/cluster/certificates', payload: { certificates: [{ name: 'proxy', certificate: pems.cert, key: pems.private }] } })
  t.equal(put.statusCode, 200)
  t.equal((await mock.inject({ method: 'PUT', url: '/v1/cluster/ldap', payload: { bind_dn: 'cn=admin', bind_pass: 'S3cret-bind' } })).statusCode, 200)
  const res = await mock.inject({ method: 'POST', url: '/_mock/nodes/join', payload: join(1) })
  t.equal(res.statusCode, 200)
  const text = res.body
  t.notMatch(text, /PRIVATE KEY/, 'no private key')
  t.notMatch(text, /S3cret-bind/, 'no bind password')
  t.same(res.json().state.state.events, [], 'no event log')
  t.match(res.json().state.state.certificates.proxy, { certificate: pems.cert })
  t.ok(mock.store.state.certificates.proxy?.key, 'the master keeps its key')
  t.equal(mock.store.state.settings.ldap?.bind_pass, 'S3cret-bind')
})
