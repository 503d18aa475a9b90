// Stands in for `@fastify/proxy-addr` inside dist/main.js (scripts/bundle.mjs). fastify loads it
// with every request module but calls it only when `trustProxy` is set, which the command never
// sets; the real module (and ipaddr.js under it) loads from node_modules on first use.
// test/stand-ins.test.ts holds it to the real answers.
'use strict'
let real
const proxyAddr = () => (real ??= require('@fastify/proxy-addr'))

module.exports = {
  compile: trust => proxyAddr().compile(trust),
  all: (req, trust) => proxyAddr().all(req, trust)
}
