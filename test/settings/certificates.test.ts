// Cluster certificates: validation before any change, the live swap of the served certificate
// over a real TLS socket, the state file and reset.
import t, { type Test } from 'tap'
import { presented } from '../helpers/raw.js'
import { X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { buildApp } from '../../src/app.js'
import { createStore, type Store } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { attachStateFile } from '../../src/persistence.js'
import { ADMIN, buildTestApp, isRsError } from '../helpers/app.js'

const seed = loadSeed(defaultFixturesDir)

async function makePair (cn: string, days = 30): Promise<{ cert: string, key: string }> {
  const now = Date.now()
  const p = await generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate: new Date(now - 2 * 86_400_000), notAfterDate: new Date(now + days * 86_400_000)
  })
  return { cert: p.cert, key: p.private }
}

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256

async function serve (t: Test, https: { cert: string, key: string }, stateFile?: string): Promise<{ store: Store, port: number, call: (m: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) => Promise<any> }> {
  const store = createStore(seed)
  if (stateFile !== undefined) attachStateFile(store, stateFile)
  const app = await buildApp({ store, https })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const port = (app.server.address() as { port: number }).port
  return { store, port, call: (method, url, payload) => app.inject({ method, url, headers: { authorization: ADMIN }, ...(payload === undefined ? {} : { payload }) }) }
}

t.test('replacing the api certificate: the next handshake presents it; saved; reset restores the first', async t => {
  const [start, next, other] = await Promise.all([makePair('start.local'), makePair('next.local'), makePair('other.local')])
  const path = join(t.testdir(), 'state.json')
  const { port, call } = await serve(t, start, path)
  t.equal(await presented(port), fingerprint(start.cert), 'the start certificate')
  const listed = (await call('GET', '/v1/cluster/certificates')).json()
  t.equal(listed.api_cert, start.cert)
  t.equal(listed.api_key, start.key)
  t.equal(listed.proxy_cert, start.cert, 'the other required ones default to the served one')

  isRsError(t, await call('PUT', '/v1/cluster/certificates', { certificates: [{ name: 'api', certificate: 'not a pem', key: next.key }] }), 400, 'invalid_certificate')
  isRsError(t, await call('PUT', '/v1/cluster/certificates', { certificates: [{ name: 'api', certificate: next.cert, key: other.key }] }), 400, 'invalid_certificate', 'key mismatch')
  isRsError(t, await call('PUT', '/v1/cluster/certificates', { certificates: [{ name: 'api', certificate: next.cert, key: 'garbage' }] }), 400, 'invalid_certificate')
  isRsError(t, await call('PUT', '/v1/cluster/certificates', { certificates: [{ name: 'api', certificate: next.cert }] }), 400, 'invalid_certificate', 'no key')
  // one bad certificate in a batch: none of them is set
  isRsError(t, await call('PUT', '/v1/cluster/certificates', {
    certificates: [{ name: 'api', certificate: next.cert, key: next.key }, { name: 'nonsense', certificate: next.cert, key: next.key }]
  }), 403, 'unknown_certificate')
  t.equal(await presented(port), fingerprint(start.cert), 'refusals changed nothing')
  t.equal((await call('GET', '/v1/cluster/certificates')).json().api_cert, start.cert)

  const res = await call('PUT', '/v1/cluster/certificates', { certificates: [{ name: 'api', certificate: next.cert, key: next.key }] })
  t.equal(res.statusCode, 200)
  t.equal(await presented(port), fingerprint(next.cert), 'the next handshake presents the new certificate')
  t.equal((await call('GET', '/v1/cluster/certificates')).json().api_cert, next.cert)

  const restarted = await serve(t, start, path)
  t.equal(await presented(restarted.port), fingerprint(next.cert), 'saved with --state-file: served again after a restart')

  t.equal((await call('POST', '/_mock/reset')).statusCode, 200)
  t.equal(await presented(port), fingerprint(start.cert), 'reset: back to the start certificate')

  t.equal((await call('PUT', '/v1/cluster/update_cert', { name: 'api', certificate: other.cert, key: other.key })).statusCode, 200)
  t.equal(await presented(port), fingerprint(other.cert), 'the deprecated update_cert swaps it too')
})

t.test('expired, unknown, optional certificates; DELETE; rotate', async t => {
  const { call, store } = await buildTestApp(t)
  const [old, ca] = await Promise.all([makePair('old.local', -1), makePair('ca.local')])
  const id = store.clusterStateId
  isRsError(t, await call('PUT', '/v1/cluster/update_cert', { body: { name: 'proxy', certificate: old.cert, key: old.key } }), 406, 'expired_certificate')
  isRsError(t, await call('PUT', '/v1/cluster/update_cert', { body: { name: 'ccs_internode_encryption', certificate: ca.cert, key: ca.key } }), 403, 'unknown_certificate')
  isRsError(t, await call('PUT', '/v1/cluster/certificates', { body: { certificates: [] } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/cluster/certificates', { body: { certificates: [{ name: 'api' }] } }), 400, 'invalid_schema')
  isRsError(t, await call('DELETE', '/v1/cluster/certificates/api'), 403, 'required_certificate')
  isRsError(t, await call('DELETE', '/v1/cluster/certificates/mtls_trusted_ca'), 404, 'certificate_not_found')
  isRsError(t, await call('PUT', '/v1/cluster/certificates', { body: { certificates: [{ name: 'api', certificate: ca.cert, key: ca.key }] }, as: 'cluster_member' }),
    403, 'insufficient_permissions')
  t.equal(store.clusterStateId, id, 'nothing changed')

  t.equal((await call('PUT', '/v1/cluster/certificates', { body: { certificates: [{ name: 'mtls_trusted_ca', certificate: ca.cert }] } })).statusCode, 200, 'a CA needs no key')
  const listed = (await call('GET', '/v1/cluster/certificates', { as: 'db_viewer' })).json()
  t.equal(listed.mtls_trusted_ca_cert, ca.cert)
  t.notOk('mtls_trusted_ca_key' in listed)
  t.notOk('api_cert' in listed, 'without a served certificate (no TLS) there is no api certificate to show')
  t.match(store.state.events.at(-1), { type: 'cluster_certificate_updated', certificate_name: 'mtls_trusted_ca' })
  t.notMatch(JSON.stringify(store.state.events), /BEGIN/, 'no PEM in the log')
  t.equal((await call('DELETE', '/v1/cluster/certificates/mtls_trusted_ca')).statusCode, 200)
  t.notOk('mtls_trusted_ca_cert' in (await call('GET', '/v1/cluster/certificates')).json())

  isRsError(t, await call('POST', '/v1/cluster/certificates/rotate', { body: { name: 'api' } }), 403, 'unsupported_rotation')
  const rotated = await call('POST', '/v1/cluster/certificates/rotate')
  t.equal(rotated.statusCode, 200)
  const first = store.state.certificates.ccs_internode_encryption?.certificate
  t.match(first, /BEGIN CERTIFICATE/)
  t.ok(store.state.certificates.data_internode_encryption)
  t.equal((await call('POST', '/v1/cluster/certificates/rotate', { body: { name: 'ccs_internode_encryption' } })).statusCode, 200)
  t.not(store.state.certificates.ccs_internode_encryption?.certificate, first, 'a new certificate each rotation')
  t.equal(store.state.events.filter(e => e.type === 'cluster_certificate_rotated').length, 3)
})

t.test('the command: a certificate replaced through the API is served again after a restart with --state-file', async t => {
  const { spawnCli, LOCAL } = await import('../helpers/cli.js')
  const { request } = await import('node:https')
  const dir = t.testdir()
  const args = [...LOCAL, '--state-file', join(dir, 'state.json'), '--certs-dir', join(dir, 'certs')]
  const first = spawnCli(args)
  const { port } = await first.ready
  t.teardown(() => { first.child.kill('SIGKILL') })
  const next = await makePair('replaced.local')
  const status = await new Promise<number>((resolve, reject) => {
    const body = JSON.stringify({ certificates: [{ name: 'api', certificate: next.cert, key: next.key }] })
    request({ host: '127.0.0.1', port, method: 'PUT', path: '/v1/cluster/certificates', rejectUnauthorized: false, headers: { authorization: ADMIN, 'content-type': 'application/json' } },
      res => { res.resume(); resolve(res.statusCode ?? 0) }).on('error', reject).end(body)
  })
  t.equal(status, 200)
  t.equal(await presented(port), fingerprint(next.cert), 'served at once')
  first.child.kill('SIGTERM')
  await first.exited
  const second = spawnCli(args)
  const { port: port2 } = await second.ready
  t.teardown(() => { second.child.kill('SIGKILL') })
  t.equal(await presented(port2), fingerprint(next.cert), 'and after the restart')
})
