// Stands in for `semver` inside dist/main.js (scripts/bundle.mjs). fastify checks each plugin's
// declared `fastify` range with semver, whose module builds some 80 regular expressions when it
// loads (~10 ms of the start). The plugins the command registers declare 'N.x', which needs no
// parser: this answers that case and hands anything else to the real semver, loaded from
// node_modules on first use. test/stand-ins.test.ts holds it to semver's answers.
'use strict'
let real
const semver = () => (real ??= require('semver'))
const plain = /^(\d+)\.\d+\.\d+$/
const majorOnly = /^(\d+)\.x$/

module.exports = {
  satisfies (version, range, options) {
    const major = typeof range === 'string' ? majorOnly.exec(range) : null
    const v = typeof version === 'string' ? plain.exec(version) : null
    if (major !== null && v !== null) return v[1] === major[1]
    return semver().satisfies(version, range, options)
  },
  gt: (a, b) => semver().gt(a, b),
  coerce: v => semver().coerce(v)
}
