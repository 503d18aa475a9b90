// The stand-in for semver inside the command's bundle (scripts/lazy-semver.cjs) gives semver's
// answers, on the 'N.x' ranges it answers itself and on those it hands over.
import t from 'tap'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const lazy = require('../scripts/lazy-semver.cjs')
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
