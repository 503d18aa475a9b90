// Certificates no TLS client can use are refused before anything changes (a secp256k1 or small
// RSA key, in the certificate or its chain), and one already in a state file is not served.
import t, { type Test } from 'tap'
import { presented } from '../helpers/raw.js'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { generate } from 'selfsigned'
import { buildApp } from '../../src/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { attachStateFile } from '../../src/persistence.js'
import { ADMIN, isRsError } from '../helpers/app.js'

const seed = loadSeed(defaultFixturesDir)

/** A self-signed pair made by the openssl command: it makes what the API must refuse. */
function opensslPair (dir: string, name: string, keyArgs: string[]): { cert: string, key: string } {
  const key = join(dir, `${name}.key`)
  const cert = join(dir, `${name}.pem`)
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${name}`], { stdio: 'ignore' })
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') }
}

async function goodPair (cn: string): Promise<{ cert: string, key: string }> {
  const p = await generate([{ name: 'commonName', value: cn }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate: new Date(Date.now() - 86_400_000), notAfterDate: new Date(Date.now() + 30 * 86_400_000) })
  return { cert: p.cert, key: p.private }
}

async function serve (t: Test, https: { cert: string, key: string }, stateFile: string, lines: string[] = []) {
  const store = createStore(seed)
  attachStateFile(store, stateFile)
  const app = await buildApp({ store, https, logger: { level: 'warn', stream: { write: (s: string) => { lines.push(s) } } } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const port = (app.server.address() as { port: number }).port
  const put = (certificates: object[]) => app.inject({ method: 'PUT', url: '/v1/cluster/certificates', headers: { authorization: ADMIN }, payload: { certificates } })
  return { store, port, put }
}

t.test('unusable certificates answer 400 invalid_certificate; the old one is still served and nothing is saved', async t => {
  const dir = t.testdir()
  const start = await goodPair('start.local')
  const k1 = opensslPair(dir, 'k1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'])
  const rsa512 = opensslPair(dir, 'r512', ['-newkey', 'rsa:512'])
  const rsa1024 = opensslPair(dir, 'r1024', ['-newkey', 'rsa:1024'])
  const rsa2048 = opensslPair(dir, 'r2048', ['-newkey', 'rsa:2048'])
  const path = join(dir, 'state.json')
  const { port, put, store } = await serve(t, start, path)
  const before = readFileSync(path, 'utf8')
  const id = store.clusterStateId

  const k1Res = await put([{ name: 'api', certificate: k1.cert, key: k1.key }])
  isRsError(t, k1Res, 400, 'invalid_certificate')
  t.match(k1Res.json().description, /secp256k1/)
  const smallRes = await put([{ name: 'api', certificate: rsa512.cert, key: rsa512.key }])
  isRsError(t, smallRes, 400, 'invalid_certificate')
  t.match(smallRes.json().description, /512 bits/)
  isRsError(t, await put([{ name: 'proxy', certificate: rsa1024.cert, key: rsa1024.key }]), 400, 'invalid_certificate', 'every certificate with a key, not only api')
  const chain = await put([{ name: 'api', certificate: rsa2048.cert + rsa512.cert, key: rsa2048.key }])
  isRsError(t, chain, 400, 'invalid_certificate', 'a weak certificate in the chain')
  t.match(chain.json().description, /certificate 2 of the 'api' chain/)
  isRsError(t, await put([{ name: 'mtls_trusted_ca', certificate: k1.cert }]), 400, 'invalid_certificate', 'a CA clients could not verify with')
  isRsError(t, await put([{ name: 'api', certificate: 'x'.repeat(70_000), key: start.key }]), 400, 'invalid_schema', 'the PEM size is capped')

  t.equal(store.clusterStateId, id, 'no change')
  t.equal(readFileSync(path, 'utf8'), before, 'nothing refused reached the state file')
  t.equal(await presented(port), new X509Certificate(start.cert).fingerprint256, 'the start certificate is still served')

  // A long chain (over 16 KiB) is accepted, saved, and loads again after a restart.
  const chained = [rsa2048.cert, ...Array<string>(30).fill(start.cert)].map(p => p.trim()).join('\n') + '\n'
  t.ok(chained.length > 16_384)
  const accepted = await put([{ name: 'api', certificate: chained, key: rsa2048.key }])
  t.equal(accepted.statusCode, 200, 'RSA-2048 is accepted')
  t.equal(await presented(port), new X509Certificate(rsa2048.cert).fingerprint256)
  const restarted = await serve(t, start, path)
  t.equal(await presented(restarted.port), new X509Certificate(rsa2048.cert).fingerprint256, 'served again after a restart')
})

t.test('a state file holding an unusable api certificate: the start certificate is served and the log says why', async t => {
  const dir = t.testdir()
  const start = await goodPair('start.local')
  const rsa512 = opensslPair(dir, 'r512', ['-newkey', 'rsa:512'])
  const path = join(dir, 'state.json')
  const first = await serve(t, start, path)
  // As a state file written before the checks existed would hold it.
  first.store.state.certificates.api = { certificate: rsa512.cert, key: rsa512.key }
  first.store.changed()
  t.match(readFileSync(path, 'utf8'), rsa512.cert.slice(30, 60), 'saved')

  const lines: string[] = []
  const second = await serve(t, start, path, lines)
  t.equal(await presented(second.port), new X509Certificate(start.cert).fingerprint256, 'still answers a handshake with the start certificate')
  t.match(lines.join(''), /the saved api certificate cannot serve TLS, the start certificate is served instead: .*512 bits/)
  const listed = await second.store.certificates.list()
  t.equal(listed.api_cert, start.cert, 'the API shows what is served')
})
