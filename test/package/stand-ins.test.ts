// The stand-ins inside the command's bundle (scripts/lazy-semver.cjs, scripts/lazy-proxy-addr.cjs) give
// the real packages' answers, on the cases they answer themselves and on those they hand over.
import t from 'tap'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const lazy = require('../../scripts/lazy-semver.cjs')
const semver = require('semver')

t.test('satisfies, gt and coerce answer as semver does', async t => {
  const versions = ['5.12.8', '5.0.0', '4.29.1', '6.0.0', '15.1.0', '5.0.0-rc.1', '5.1.0-alpha.2']
  const ranges = ['5.x', '4.x', '6.x', '1.x', '>=4', '^5.0.0', '5.x || 6.x', '>=5.0.0-rc.0', '*', '5']
  for (const v of versions) {
    for (const r of ranges) {
      for (const options of [undefined, { includePrerelease: true }]) {
        t.equal(lazy.satisfies(v, r, options), semver.satisfies(v, r, options), `${v} in ${r} ${JSON.stringify(options)}`)
      }
    }
  }
  t.equal(lazy.gt('5.1.0', lazy.coerce('5.x')), semver.gt('5.1.0', semver.coerce('5.x')))
  t.equal(String(lazy.coerce('4.x')), String(semver.coerce('4.x')))
})

t.test('the @fastify/proxy-addr stand-in has what fastify calls, with the same answers', async t => {
  const { readFileSync } = await import('node:fs')
  const lazyProxy = require('../../scripts/lazy-proxy-addr.cjs')
  const proxyAddr = require('@fastify/proxy-addr')
  const used = [...readFileSync(require.resolve('fastify/lib/request.js'), 'utf8').matchAll(/proxyAddr\.(\w+)/g)].map(m => m[1])
  t.ok(used.length > 0, 'fastify calls it')
  for (const name of new Set(used)) t.type(lazyProxy[name], 'function', `proxyAddr.${name}`)
  const req = { socket: { remoteAddress: '10.0.0.1' }, connection: { remoteAddress: '10.0.0.1' }, headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' } }
  const trust = ['10.0.0.0/8']
  t.same(lazyProxy.all(req, lazyProxy.compile(trust)), proxyAddr.all(req, proxyAddr.compile(trust)))
})
