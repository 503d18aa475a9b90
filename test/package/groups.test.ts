// The test files run in groups (test/helpers/groups.ts): every file in exactly one group, one
// group file per group, and the files named to run alone exist.
import t from 'tap'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { groups, OWN, SHARED, testFiles } from '../helpers/groups.js'

const dir = (path: string) => readdirSync(fileURLToPath(new URL(path, import.meta.url)))

t.test('every test file runs in exactly one group', async t => {
  const files = testFiles().filter(f => f.endsWith('.test.ts')).map(f => f.slice(0, -'.test.ts'.length)).sort()
  const grouped = groups().flat()
  t.same([...grouped].sort(), files, 'each test file once')
  t.equal(new Set(grouped).size, grouped.length, 'none twice')
  for (const name of OWN) t.ok(files.includes(name), `${name}.test.ts exists (it runs alone)`)
  t.equal(dir('../groups').filter(f => f.endsWith('.test.ts')).length, OWN.length + SHARED, 'a group file per group')
})

t.test('a new file lands in a shared group', async t => {
  const all = groups(['x/a.test.ts', 'x/b.test.ts', 'redis/redis.test.ts', 'x/helper.ts'])
  t.same(all.filter(g => g.length > 0), [['redis/redis'], ['x/a'], ['x/b']])
  t.ok(testFiles().some(f => f === 'databases/bdbs.test.ts'), 'files in the area folders are found')
})
