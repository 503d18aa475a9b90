// Database debug info downloads (a real .tar.gz that tar lists) and GET /v1/bdb_groups.
import t, { type Test } from 'tap'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { tarGzStream, tarHeader } from '../../src/debuginfo/tar.js'

const tar = (...args: string[]) => execFileSync('tar', args, { encoding: 'utf8' })

t.test('GET /v1/bdbs/{uid}/debuginfo: a tar.gz with the database\'s files, secrets redacted', async t => {
  const { call, store } = await buildTestApp(t)
  await call('POST', '/v1/bdbs/2/passwords', { body: { password: 'do-not-leak' } })
  const res = await call('GET', '/v1/bdbs/2/debuginfo')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/x-gzip')
  t.equal(res.headers['content-disposition'], 'attachment; filename=debuginfo.tar.gz')
  t.equal(res.rawPayload.subarray(0, 2).toString('hex'), '1f8b', 'gzip magic')
  const file = join(t.testdir(), 'debuginfo.tar.gz')
  writeFileSync(file, res.rawPayload)
  const root = `debuginfo.${store.clusterStateId}`
  t.same(tar('-tzf', file).trim().split('\n'), [
    `${root}/cluster.json`, `${root}/bdb_2/bdb.json`, `${root}/bdb_2/shards.json`, `${root}/bdb_2/actions.json`, `${root}/bdb_2/events.log`
  ])
  const bdb = JSON.parse(tar('-xzOf', file, `${root}/bdb_2/bdb.json`))
  t.equal(bdb.name, 'sessions')
  t.equal(bdb.authentication_redis_pass, '<redacted>')
  t.notOk(res.rawPayload.includes('do-not-leak') || gunzipSync(res.rawPayload).includes('do-not-leak'), 'the password is nowhere')
  t.same(JSON.parse(tar('-xzOf', file, `${root}/bdb_2/shards.json`)).map((s: any) => s.uid), ['2', '3'])
  t.match(tar('-xzOf', file, `${root}/bdb_2/events.log`), /"type":"bdb_passwords_changed"/)
  t.match(tar('-tvzf', file), /-rw-r--r-- redis\/redis/, 'ustar owner names and mode')

  isRsError(t, await call('GET', '/v1/bdbs/99/debuginfo'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/2/debuginfo', { as: 'db_viewer' }), 403, 'insufficient_permissions')
})

t.test('GET /v1/bdbs/debuginfo: every database', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/bdbs/debuginfo')
  t.equal(res.statusCode, 200)
  const file = join(t.testdir(), 'all.tar.gz')
  writeFileSync(file, res.rawPayload)
  const dirs = new Set(tar('-tzf', file).trim().split('\n').map(p => p.split('/')[1]))
  t.same([...dirs], ['cluster.json', 'bdb_1', 'bdb_2', 'bdb_3'])
})

t.test('the tar writer: long names, binary data, empty files, 512-byte padding', async t => {
  const long = `${'d'.repeat(90)}/${'e'.repeat(40)}/${'f'.repeat(60)}.bin`
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256))
  const chunks: Buffer[] = []
  for await (const c of tarGzStream([{ name: long, data, mtime: 1_700_000_000 }, { name: 'empty', data: '', mtime: 0 }])) chunks.push(c as Buffer)
  const raw = gunzipSync(Buffer.concat(chunks))
  t.equal(raw.length % 512, 0)
  t.equal(raw.length, 512 + 1024 + 512 + 1024, 'header, data in two blocks, empty entry, two end blocks')
  const file = join(t.testdir(), 't.tar.gz')
  writeFileSync(file, Buffer.concat(chunks))
  t.same(tar('-tzf', file).trim().split('\n'), [long, 'empty'])
  t.same(execFileSync('tar', ['-xzOf', file, long]), data)
  t.throws(() => tarHeader({ name: 'x'.repeat(300), mtime: 0 }, 0), RangeError, 'a name ustar cannot hold')
})

t.test('GET /v1/bdb_groups: as captured, and the groups the databases name', async t => {
  const { call, store } = await buildTestApp(t)
  t.same((await call('GET', '/v1/bdb_groups')).json(), { bdb_groups: [] })
  store.bdbs.get(1).group_uid = 7
  store.bdbs.get(3).group_uid = 7
  store.changed()
  t.same((await call('GET', '/v1/bdb_groups', { as: 'db_viewer' })).json(), {
    bdb_groups: [{ uid: 7, members: ['1', '3'], memory_size: store.bdbs.get(1).memory_size + store.bdbs.get(3).memory_size }]
  })
})

/** Saves a download and lists it with the real tar. */
function listed (t: Test, payload: Buffer): { file: string, names: string[] } {
  const file = join(t.testdir(), 'd.tar.gz')
  writeFileSync(file, payload)
  return { file, names: tar('-tzf', file).trim().split('\n') }
}

const isDownload = (t: Test, res: { statusCode: number, headers: Record<string, unknown> }): void => {
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/x-gzip')
  t.equal(res.headers['content-disposition'], 'attachment; filename=debuginfo.tar.gz')
}

const dirsOf = (names: string[]): string[] => [...new Set(names.map(p => p.split('/')[1]))]

t.test('cluster and node debug info: the cluster, the nodes, the databases', async t => {
  const { call, store } = await buildTestApp(t, { nodes: 3 })
  const root = `debuginfo.${store.clusterStateId}`
  store.state.cluster.smtp_password = 'smtp-secret'
  const all = ['cluster.json', 'node_1', 'node_2', 'node_3', 'bdb_1', 'bdb_2', 'bdb_3']
  for (const path of ['/v1/cluster/debuginfo', '/v1/debuginfo/all']) {
    const res = await call('GET', path)
    isDownload(t, res)
    const { file, names } = listed(t, res.rawPayload)
    t.same(dirsOf(names), all, path)
    const cluster = JSON.parse(tar('-xzOf', file, `${root}/cluster.json`))
    t.equal(cluster.name, store.state.cluster.name)
    t.equal(cluster.smtp_password, '<redacted>')
    t.same(cluster.nodes, [1, 2, 3])
    t.notOk(gunzipSync(res.rawPayload).includes('smtp-secret'), 'the smtp password is nowhere')
  }
  const nodes = await call('GET', '/v1/nodes/debuginfo')
  isDownload(t, nodes)
  t.same(dirsOf(listed(t, nodes.rawPayload).names), ['cluster.json', 'node_1', 'node_2', 'node_3'])

  const one = await call('GET', '/v1/nodes/2/debuginfo')
  isDownload(t, one)
  const { file, names } = listed(t, one.rawPayload)
  t.same(names, [`${root}/cluster.json`, `${root}/node_2/node.json`, `${root}/node_2/shards.json`, `${root}/node_2/events.log`])
  t.equal(JSON.parse(tar('-xzOf', file, `${root}/node_2/node.json`)).uid, 2)
  const shards = JSON.parse(tar('-xzOf', file, `${root}/node_2/shards.json`))
  t.ok(shards.length > 0, 'shards are spread across the nodes')
  t.ok(shards.every((s: any) => s.node_uid === '2'), 'only the node\'s own shards')

  isRsError(t, await call('GET', '/v1/nodes/9/debuginfo'), 404, 'node_not_found')
  isRsError(t, await call('GET', '/v1/nodes/2/debuginfo', { as: 'db_viewer' }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v1/cluster/debuginfo', { as: 'db_viewer' }), 403, 'insufficient_permissions')
})

t.test('deprecated debuginfo paths: a database from all nodes, the current node, a database from it', async t => {
  const { call, store } = await buildTestApp(t, { nodes: 2 })
  const root = `debuginfo.${store.clusterStateId}`
  const allBdb = await call('GET', '/v1/debuginfo/all/bdb/2')
  isDownload(t, allBdb)
  t.same(dirsOf(listed(t, allBdb.rawPayload).names), ['cluster.json', 'node_1', 'node_2', 'bdb_2'])

  const node = await call('GET', '/v1/debuginfo/node')
  isDownload(t, node)
  t.same(dirsOf(listed(t, node.rawPayload).names), ['cluster.json', 'node_1'], 'the node asked (one listener: node 1)')

  const nodeBdb = await call('GET', '/v1/debuginfo/node/bdb/3')
  isDownload(t, nodeBdb)
  const { file, names } = listed(t, nodeBdb.rawPayload)
  t.same(dirsOf(names), ['cluster.json', 'node_1', 'bdb_3'])
  t.equal(JSON.parse(tar('-xzOf', file, `${root}/bdb_3/bdb.json`)).uid, 3)

  for (const path of ['/v1/debuginfo/all/bdb/99', '/v1/debuginfo/node/bdb/99']) {
    isRsError(t, await call('GET', path), 404, 'bdb_not_found', path)
  }
  t.equal((await call('GET', '/v1/debuginfo/node/bdb/x')).statusCode, 404, 'not a uid: no route')
  isRsError(t, await call('GET', '/v1/debuginfo/node', { as: 'db_viewer' }), 403, 'insufficient_permissions')
})
