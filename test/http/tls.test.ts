import t from 'tap'
import { statSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { hostname } from 'node:os'
import { loadTls } from '../../src/tls.js'

t.test('generates a self-signed certificate once and reuses it', async t => {
  const dir = join(t.testdir(), 'certs')
  const first = await loadTls({ certsDir: dir, certNames: ['mock.example', '10.9.8.7'] })
  t.equal(first.generated, true)
  t.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600, 'key is private')
  t.equal(readFileSync(join(dir, 'cert.pem'), 'utf8'), first.cert)
  const x = new X509Certificate(first.cert)
  t.match(x.subjectAltName, 'DNS:localhost')
  t.match(x.subjectAltName, 'IP Address:127.0.0.1')
  t.match(x.subjectAltName, /IP Address:(::1|0:0:0:0:0:0:0:1)/)
  t.match(x.subjectAltName, `DNS:${hostname()}`)
  t.match(x.subjectAltName, 'DNS:mock.example')
  t.match(x.subjectAltName, 'IP Address:10.9.8.7')
  t.equal(x.publicKey.asymmetricKeyType, 'ec', 'EC P-256 key')
  t.ok(x.checkPrivateKey((await import('node:crypto')).createPrivateKey(first.key)))
  const second = await loadTls({ certsDir: dir })
  t.equal(second.generated, false)
  t.equal(second.cert, first.cert, 'reused')
})

t.test('user-supplied PEM files', async t => {
  const dir = t.testdir({ 'c.pem': '-----BEGIN CERTIFICATE-----\nx\n', 'k.pem': '-----BEGIN PRIVATE KEY-----\nx\n', 'bad.pem': 'not a pem' })
  const own = await loadTls({ certsDir: join(dir, 'own'), certNames: [] })
  await loadTls({ certsDir: join(dir, 'other'), certNames: [] }) // a second pair, for the mismatch below
  const tls = await loadTls({ certsDir: dir, cert: join(dir, 'own', 'cert.pem'), key: join(dir, 'own', 'key.pem') })
  t.equal(tls.generated, false)
  t.equal(tls.cert, own.cert)
  await t.rejects(loadTls({ certsDir: dir, cert: join(dir, 'missing.pem'), key: join(dir, 'k.pem') }), { name: 'ConfigError', message: /Cannot read the certificate .*missing\.pem: ENOENT/ })
  await t.rejects(loadTls({ certsDir: dir, cert: join(dir, 'bad.pem'), key: join(dir, 'k.pem') }), { name: 'ConfigError', message: /not a PEM file/ })
  await t.rejects(loadTls({ certsDir: dir, cert: join(dir, 'c.pem'), key: join(dir, 'own', 'key.pem') }), { name: 'ConfigError', message: /The certificate .*c\.pem is not a valid PEM certificate\.$/ })
  await t.rejects(loadTls({ certsDir: dir, cert: join(dir, 'own', 'cert.pem'), key: join(dir, 'k.pem') }), { name: 'ConfigError', message: /The private key .*k\.pem is not a valid PEM private key\.$/ })
  await t.rejects(loadTls({ certsDir: dir, cert: join(dir, 'own', 'cert.pem'), key: join(dir, 'other', 'key.pem') }), { name: 'ConfigError', message: /The private key .*other.key\.pem does not belong to its certificate\.$/ })
})

t.test('--cert-names: a kept certificate lacking a requested name is replaced; one with every name is kept', async t => {
  const dir = join(t.testdir(), 'certs')
  const first = await loadTls({ certsDir: dir, certNames: ['a.example'] })
  const same = await loadTls({ certsDir: dir, certNames: ['a.example', 'localhost', '::1', '0:0:0:0:0:0:0:1'] })
  t.same([same.generated, same.replaced, same.cert], [false, undefined, first.cert], 'every name present: kept')
  const wider = await loadTls({ certsDir: dir, certNames: ['a.example', 'b.example', '10.1.2.3'] })
  t.equal(wider.generated, true)
  t.equal(wider.replaced, 'it lacks the requested names b.example, 10.1.2.3')
  const x = new X509Certificate(wider.cert)
  t.match(x.subjectAltName, 'DNS:b.example')
  t.match(x.subjectAltName, 'IP Address:10.1.2.3')
  t.equal(readFileSync(join(dir, 'cert.pem'), 'utf8'), wider.cert, 'written over the old one')
  t.equal((await loadTls({ certsDir: dir, certNames: ['b.example'] })).generated, false, 'a subset is enough')
})

t.test('a junk key.pem in the certs directory is one clear sentence, not an OpenSSL error', async t => {
  const dir = join(t.testdir(), 'certs')
  await loadTls({ certsDir: dir })
  writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\njunk\n-----END PRIVATE KEY-----\n')
  await t.rejects(loadTls({ certsDir: dir }), { name: 'ConfigError', message: /^The private key .*key\.pem is not a valid PEM private key \(delete cert\.pem and key\.pem there to have a new pair generated\)\.$/ })
})

t.test('an unreadable certs directory is a clear error', async t => {
  const dir = t.testdir({ certs: { 'cert.pem': {}, 'key.pem': 'x' } })
  await t.rejects(loadTls({ certsDir: join(dir, 'certs') }), { name: 'ConfigError', message: /Cannot read the certificate in/ })
})
