import t from 'tap'
import { statSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { hostname } from 'node:os'
import { loadTls } from '../src/tls.js'

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
  const tls = await loadTls({ certsDir: dir, cert: join(dir, 'c.pem'), key: join(dir, 'k.pem') })
  t.equal(tls.generated, false)
  t.match(tls.cert, 'BEGIN CERTIFICATE')
  await t.rejects(loadTls({ certsDir: dir, cert: join(dir, 'missing.pem'), key: join(dir, 'k.pem') }), { name: 'ConfigError', message: /Cannot read the certificate .*missing\.pem: ENOENT/ })
  await t.rejects(loadTls({ certsDir: dir, cert: join(dir, 'bad.pem'), key: join(dir, 'k.pem') }), { name: 'ConfigError', message: /not a PEM file/ })
})

t.test('an unreadable certs directory is a clear error', async t => {
  const dir = t.testdir({ certs: { 'cert.pem': {}, 'key.pem': 'x' } })
  await t.rejects(loadTls({ certsDir: join(dir, 'certs') }), { name: 'ConfigError', message: /Cannot read the certificate in/ })
})
