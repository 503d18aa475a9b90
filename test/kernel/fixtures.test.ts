// The default fixtures must be in the real wire format: valid against our schemas, and with
// exactly the key sets, key order and JSON types of the RS 8.0 responses (test/shapes/ holds
// those facts, derived from the captures: key -> JSON type).
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { Ajv, type SchemaObject } from 'ajv'
import * as schemas from '../../src/schemas/index.js'
import {
  bdbCreateOnlyFields, bdbCreateSchema, bdbFields, bdbGetKeys, bdbReadOnlyFields, bdbSchema, bdbUpdateOnlyFields,
  bdbUpdateSchema, bdbV2CreateSchema, bdbWritableFields, DEFAULT_MODULES, fixtureFiles, newBdbDefaults,
  roleCreateSchema, userCreateSchema, userUpdateSchema, createClusterSchema, policyUpdateSchema, clusterUpdateSchema
} from '../../src/schemas/index.js'
import { shape, shapeProblems } from '../helpers/shapes.js'

type Json = any

const fixtureDir = new URL('../../fixtures/default/', import.meta.url)
const read = (dir: URL, file: string): Json => JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
const fixture = (file: string): Json => read(fixtureDir, file)

const bdbs: Json[] = fixture('bdbs.json')
const nodes: Json[] = fixture('nodes.json')
const users: Json[] = fixture('users.json')
const roles: Json[] = fixture('roles.json')
const modules: Json[] = fixture('modules.json')
const cluster: Json = fixture('cluster.json')
const license: Json = fixture('license.json')
const bootstrap: Json = fixture('bootstrap.json')

const withoutPassword = (u: Json): Json => Object.fromEntries(Object.entries(u).filter(([k]) => k !== 'password'))

t.test('every fixture file has a schema and satisfies it', async t => {
  const files = readdirSync(fixtureDir).filter(f => f.endsWith('.json')).sort()
  t.same(files, Object.keys(fixtureFiles).sort(), 'fixture files and fixtureFiles agree')
  const ajv = new Ajv({ allErrors: true })
  for (const [file, schema] of Object.entries(fixtureFiles)) {
    const validate = ajv.compile(schema)
    const ok = validate(fixture(file))
    t.ok(ok, file, { errors: validate.errors })
  }
})

t.test('every exported schema compiles in ajv strict mode, without warnings', async t => {
  const warnings: unknown[] = []
  const log = (...args: unknown[]): void => { warnings.push(args) }
  const ajv = new Ajv({ allErrors: true, logger: { log, warn: log, error: log } })
  const strictest = new Ajv({ allErrors: true, strict: true })
  const exported = Object.entries(schemas).filter(([name, v]) => name.endsWith('Schema') && typeof v === 'object')
  t.ok(exported.length > 20, `${exported.length} schemas exported`)
  for (const [name, schema] of exported) {
    t.doesNotThrow(() => ajv.compile(schema as SchemaObject), name)
    t.doesNotThrow(() => strictest.compile(schema as SchemaObject), `${name} (strict: true)`)
  }
  t.same(warnings, [], 'no strict-mode warnings')
})

t.test('the shape check is not vacuous', async t => {
  const want = shape('bdb_single.json')
  const good = bdbs[0]
  t.same(shapeProblems(good, want, ''), [], 'a fixture bdb passes')
  const { uid, ...missing } = good
  t.match(shapeProblems(missing, want, ''), [/missing uid/], 'a missing key is caught')
  t.match(shapeProblems({ uid, ...missing }, want, ''), [/key order/], 'a moved key is caught')
  t.match(shapeProblems({ ...good, shards_count: '1' }, want, ''), [/shards_count: expected integer, got string/], 'a string for an integer is caught')
  t.match(shapeProblems({ ...good, memory_size: 1.5 }, want, ''), [/memory_size: expected integer, got number/], 'a float for an integer is caught')
  t.same(shapeProblems({ ...good, backup_progress: 12.5 }, want, ''), [], 'a float where the capture had 0.0 passes')
  t.match(shapeProblems({ ...good, endpoints: [{ ...good.endpoints[0], uid: 1 }] }, want, ''), [/endpoints\[0\]/], 'nested objects are checked')
})

t.test('fixtures have the captured key sets, key order and JSON types', async t => {
  for (const [i, bdb] of bdbs.entries()) t.same(shapeProblems(bdb, shape('bdb_single.json'), ''), [], `bdbs[${i}]`)
  for (const [i, node] of nodes.entries()) t.same(shapeProblems(node, shape('node_single.json'), ''), [], `nodes[${i}]`)
  for (const [i, user] of users.entries()) {
    t.same(shapeProblems(withoutPassword(user), shape('user_single.json'), ''), [], `users[${i}]`)
    t.type(user.password, 'string', `users[${i}] has a plain-text password`)
  }
  for (const [i, mod] of modules.entries()) t.same(shapeProblems(mod, shape('modules_list.json'), ''), [], `modules[${i}]`)
  t.same(shapeProblems(cluster, shape('cluster.json'), ''), [], 'cluster')
  t.same(shapeProblems(bootstrap, shape('bootstrap_status.json'), ''), [], 'bootstrap')
  // the capture is a trial license, which has null owner/cluster_name; ours is a real one
  t.same(shapeProblems(license, shape('license.json'), '', new Set(['cluster_name', 'owner'])), [], 'license')
})

t.test('shard bookkeeping is consistent', async t => {
  const all = bdbs.flatMap(b => b.shard_list as number[])
  t.same([...all].sort((a, b) => a - b), all.map((_, i) => i + 1), 'shard uids are 1..n, unique, consecutive in bdb uid order')
  for (const b of bdbs) {
    t.equal(b.shard_list.length, b.shards_count * (b.replication === true ? 2 : 1), `${b.name}: shard_list holds masters (+ replicas)`)
  }
  const node = nodes[0]
  t.same(node.shard_list, [...all].sort((a, b) => a - b), 'node shard_list = union of bdb shard_lists')
  t.equal(node.shard_count, all.length, 'node shard_count')
  t.equal(node.ram_shard_count, all.length, 'node ram_shard_count')
  t.equal(license.ram_shards_in_use, all.length, 'license ram_shards_in_use')
  const taken = bdbs.reduce((n, b) => n + Number(b.memory_size) * (b.replication === true ? 2 : 1), 0)
  t.ok(taken <= Number(node.total_memory), `the databases fit the node's memory (${taken} <= ${String(node.total_memory)}; docs/decisions.md #61)`)
})

t.test('databases and their endpoints agree with the cluster', async t => {
  t.same(bdbs.map(b => b.uid), bdbs.map((_, i) => i + 1), 'bdb uids are 1..n')
  const ports = new Set<number>()
  for (const b of bdbs) {
    t.equal(b.endpoints.length, 1, `${b.name}: one endpoint`)
    const ep = b.endpoints[0]
    t.equal(ep.uid, `${b.uid}:1`)
    t.equal(ep.dns_name, `redis-${ep.port}.${cluster.name}`)
    t.same(ep.addr, [nodes[0].addr])
    t.equal(ep.proxy_policy, b.proxy_policy)
    t.ok(b.port === 0 || b.port === ep.port, `${b.name}: port is 0 (auto) or the endpoint port`)
    t.notOk(ports.has(ep.port), `${b.name}: endpoint port unique`)
    ports.add(ep.port)
    t.equal(b.authentication_admin_pass.length, 48)
    for (const m of b.module_list) {
      const found = modules.find(x => x.uid === m.module_id)
      t.ok(found !== undefined && found.module_name === m.module_name && found.semantic_version === m.semantic_version,
        `${b.name}: module ${m.module_name} ${m.semantic_version} is in modules.json`)
    }
  }
  t.equal(license.cluster_name, cluster.name)
  const info = bootstrap.local_node_info
  t.equal(info.uid, String(nodes[0].uid), 'bootstrap local_node_info.uid is the node uid as a string')
  for (const k of ['cores', 'total_memory', 'software_version', 'architecture', 'os_version']) t.equal(info[k], nodes[0][k], `bootstrap ${k}`)
  t.ok(info.available_addresses.some((a: Json) => a.address === nodes[0].addr), 'node addr is an available address')
})

t.test('users, roles and ACLs', async t => {
  const roleByUid = new Map(roles.map(r => [r.uid, r]))
  t.equal(new Set(users.map(u => u.uid)).size, users.length, 'user uids unique')
  t.equal(new Set(users.map(u => u.email)).size, users.length, 'emails unique')
  for (const u of users) {
    for (const uid of u.role_uids) t.ok(roleByUid.has(uid), `${u.email}: role uid ${uid} exists`)
    t.same(u.role_uids.map((uid: number) => roleByUid.get(uid)?.management), [u.role], `${u.email}: role matches its RBAC role`)
  }
  const admin = users.find(u => u.uid === 1)
  t.match(admin, { email: 'admin@redis.local', name: 'Administrator', role: 'admin', role_uids: [1], password: 'admin' })
  const managements = ['admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager', 'none']
  t.same([...new Set(users.map(u => u.role))].sort(), [...managements].sort(), 'one user per management role')
  for (const u of users.filter(u => u.role !== 'admin')) {
    const local = (u.role as string).replaceAll('_', '-')
    t.equal(u.email, `${local}@redis.local`)
    t.equal(u.password, local)
  }
  for (const b of bdbs) {
    for (const p of b.roles_permissions) t.ok(roleByUid.has(p.role_uid), `${b.name}: role ${p.role_uid} exists`)
  }
})

t.test('newBdbDefaults', async t => {
  const a = newBdbDefaults()
  t.same(Object.keys(a), Object.keys(shape('bdb_single.json') as object), 'exactly the captured bdb keys, in order')
  t.same(bdbGetKeys, Object.keys(a), 'bdbGetKeys')
  t.same(shapeProblems({ ...a, background_op: [{ status: 'idle' }] }, shape('bdb_single.json'), '').filter(p => !p.startsWith('endpoints')), [],
    'captured types (endpoints is an empty placeholder)')
  t.match(a, { uid: 0, name: '', memory_size: 0, status: 'pending', endpoints: [], shard_list: [], authentication_admin_pass: '' })
  const b = newBdbDefaults()
  const ops = b.background_op as Json[]
  ops.push({ status: 'x' })
  const mods = b.module_list as Json[]
  mods[0].module_args = 'changed'
  t.same(newBdbDefaults().background_op, [{ status: 'idle' }], 'nested arrays are not shared')
  t.equal(DEFAULT_MODULES[0].module_args, '', 'DEFAULT_MODULES is not mutated through a default object')
  for (const m of a.module_list as Json[]) {
    t.ok(modules.some(x => x.uid === m.module_id && x.module_name === m.module_name && x.semantic_version === m.semantic_version),
      `default module ${m.module_name} is in modules.json`)
  }
  const filled = {
    ...a,
    uid: 9,
    name: 'filled',
    memory_size: 1024,
    authentication_admin_pass: 'p',
    created_time: '2026-02-01T00:00:00Z',
    last_changed_time: '2026-02-01T00:00:00Z',
    status: 'active',
    shard_list: [6],
    endpoints: [bdbs[0].endpoints[0]]
  }
  const validate = new Ajv({ allErrors: true }).compile(bdbSchema)
  t.ok(validate(filled), 'defaults with the placeholders filled satisfy bdbSchema', { errors: validate.errors })
})

t.test('bdb field access lists', async t => {
  const lists = [bdbWritableFields, bdbCreateOnlyFields, bdbReadOnlyFields, bdbUpdateOnlyFields]
  const all = lists.flat()
  t.equal(new Set(all).size, all.length, 'lists are disjoint')
  t.same([...all].sort(), Object.keys(bdbFields).sort(), 'lists cover every field')
  for (const k of bdbGetKeys) t.ok(k in bdbFields, `captured key ${k} has an access class`)
  t.same([...bdbCreateOnlyFields].sort(), ['replica_read_only', 'uid', 'version'])
  for (const k of ['shard_list', 'status', 'endpoints', 'created_time', 'last_changed_time', 'background_op', 'action_uid',
    'syncer_mode', 'wait_command', 'backup_status', 'import_progress', 'export_failure_reason', 'acl', 'topology_epoch']) {
    t.ok(bdbReadOnlyFields.includes(k), `${k} is read-only`)
  }
  t.ok(bdbWritableFields.includes('dataset_import_sources'), 'dataset_import_sources is writable')
})

t.test('request body schemas', async t => {
  const ajv = new Ajv({ allErrors: true })
  const create = ajv.compile(bdbCreateSchema)
  t.ok(create({ name: 'x', memory_size: 1 }), 'minimal create body')
  t.ok(create({}), 'missing name/memory_size is not a schema error')
  t.ok(create({ uid: 7, name: 'x', memory_size: 1, replication: true, shards_count: 2, sharding: true, shard_key_regex: [{ regex: '(?<tag>.*)' }], module_list: [{ module_name: 'search' }] }), 'full create body')
  t.notOk(create({ name: 'x', memory_size: 1, no_such_field: true }), 'unknown field rejected')
  t.equal(create.errors?.[0]?.params.additionalProperty, 'no_such_field', 'the error names the field')
  t.notOk(create({ name: 'x', memory_size: '1' }), 'wrong type rejected')
  t.notOk(create({ name: 'x', memory_size: -1 }), 'negative size rejected')
  t.notOk(create({ name: 'x', memory_size: 1, status: 'active' }), 'read-only field rejected')
  t.notOk(create({ name: 'x', memory_size: 1, shards_count: 513 }), 'shards_count above 512 rejected')
  t.notOk(create({ name: 'x', memory_size: 1, port: 70000 }), 'port above 65535 rejected')
  t.notOk(create({ name: 'x', memory_size: 1, eviction_policy: 'lru' }), 'bad enum rejected')
  t.notOk(create({ name: 'x', memory_size: 1, roles_permissions: [{ role_uid: '1', redis_acl_uid: 1 }] }), 'nested type checked')

  const update = ajv.compile(bdbUpdateSchema)
  t.ok(update({ memory_size: 2 }), 'update body')
  t.ok(update({ shards_blueprint: [{ nodes: [{ node_uid: '1', role: 'master' }], slot_range: '0-16383' }] }), 'blueprint accepted on update')
  t.notOk(update({ uid: 2 }), 'create-only field rejected on update')

  const v2 = ajv.compile(bdbV2CreateSchema)
  t.ok(v2({ bdb: { name: 'x', memory_size: 1 } }), 'v2 body')
  t.ok(v2({ bdb: { name: 'x', memory_size: 1 }, recovery_plan: { original_bdb_shards: [{ assigned_slots: '0-16383', node_uid: '1', role: 'master', uid: '1' }] } }), 'v2 body with a recovery plan')
  t.notOk(v2({ name: 'x', memory_size: 1 }), 'v1 body on v2 rejected')

  const user = ajv.compile(userCreateSchema)
  t.ok(user({ email: 'a@b.local', password: 'pw', name: 'Pat Doe', role_uids: [3, 4], email_alerts: true, bdbs_email_alerts: ['1', '2'], auth_method: 'regular', alert_bdb_backup: true }), 'user create body (docs example)')
  t.notOk(user({ email: 'a@b.local', role_uids: [] }), 'empty role_uids rejected')
  t.notOk(user({ email: 'a@b.local', favourite_colour: 'red' }), 'unknown user field rejected')
  t.notOk(user({ alert_bdb_backup: 'yes' }), 'alert switches are booleans')
  t.ok(ajv.compile(userUpdateSchema)({ password: 'new' }), 'user update body')
  t.notOk(ajv.compile(roleCreateSchema)({ name: 'x', management: 'root' }), 'unknown management role rejected')
  t.ok(ajv.compile(policyUpdateSchema)({ login_lockout_threshold: 0 }), 'policy update body')
  t.notOk(ajv.compile(clusterUpdateSchema)({ name: 'renamed' }), 'cluster name is read-only')
  const boot = ajv.compile(createClusterSchema)
  t.ok(boot({ action: 'create_cluster', cluster: { name: 'test-cluster' }, credentials: { username: 'admin@redis.local', password: 'Redis123!' }, flash_enabled: false }),
    'the body a real client sends')
  t.notOk(boot({ cluster: { name: 7 } }), 'typed even where permissive')
})
