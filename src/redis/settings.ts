// What one database's redis-server should be, derived from the state: the config file it starts
// with and the ACL users applied to it live. Pure functions of the state (no process here).
import { createHash } from 'node:crypto'
import type { Bdb } from '../schemas/bdb.js'
import type { State, UserRecord } from '../store/kernel/index.js'
import { defaultPasswords } from '../store/databases/index.js'

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** The mock's own login on every server it runs (config, ACLs, INFO); never a database user. */
export const INTERNAL_USER = 'rs-mock-internal'

/** Settings CONFIG SET can change on a running server. */
export interface LiveConfig { maxmemory: string, 'maxmemory-policy': string, appendonly: string, appendfsync: string, save: string }

export interface ServerSettings {
  port: number
  /** the addresses it listens on */
  bind: string[]
  live: LiveConfig
  /** ACL rules of the default user */
  defaultUser: string
  /** ACL user name → its rules (password included), one per user bound to the database */
  users: Map<string, string>
  /** stop_traffic: the server listens on no port and keeps no client but the mock's own */
  stopped: boolean
}

// Redis 7 has no LRM policies (Redis 8): the nearest it has.
const POLICY_FALLBACK: Record<string, string> = { 'allkeys-lrm': 'allkeys-lru', 'volatile-lrm': 'volatile-lru' }

export function liveConfig (bdb: Bdb): LiveConfig {
  const snapshot = bdb.data_persistence === 'snapshot'
  const policy = (bdb.snapshot_policy ?? []) as Array<{ secs: number, writes: number }>
  return {
    maxmemory: String(bdb.memory_size),
    'maxmemory-policy': POLICY_FALLBACK[String(bdb.eviction_policy)] ?? String(bdb.eviction_policy ?? 'volatile-lru'),
    appendonly: bdb.data_persistence === 'aof' ? 'yes' : 'no',
    appendfsync: bdb.aof_policy === 'appendfsync-always' ? 'always' : 'everysec',
    // RS without a snapshot_policy snapshots hourly after one write (its UI default).
    save: !snapshot ? '' : policy.length > 0 ? policy.map(p => `${p.secs} ${p.writes}`).join(' ') : '3600 1'
  }
}

/**
 * The ACL user name of a database user (docs/decisions.md #19, #46): its email, or its `name` when it
 * has no email (a data-access user). Undefined when the name cannot be a Redis user name.
 */
export function aclUserName (user: UserRecord['user']): string | undefined {
  const name = typeof user.email === 'string' && user.email !== '' ? user.email : String(user.name ?? '')
  return name === '' || /\s/.test(name) || name === 'default' || name === INTERNAL_USER ? undefined : name
}

/** One binding's rule string; several bindings of one user add up as selectors (any one allows). */
function combine (rules: string[]): string {
  const [first, ...more] = rules
  return [first, ...more.map(r => r.includes('(') ? r : `(${r})`)].join(' ')
}

export function serverSettings (state: State, bdb: Bdb, port: number, bind: string[]): ServerSettings {
  // every password of /v1/bdbs/{uid}/passwords opens the default user (docs/decisions.md #40)
  const passes = defaultPasswords(state, bdb)
  const defaultUser = bdb.default_user === false
    ? 'off'
    : `on ${passes.length === 0 ? 'nopass' : passes.map(p => `#${sha256(p)}`).join(' ')} ~* &* +@all`
  const rulesByUser = new Map<string, { record: UserRecord, rules: string[] }>()
  for (const binding of bdb.roles_permissions ?? []) {
    const acl = state.redisAcls.get(binding.redis_acl_uid)
    if (acl === undefined) continue
    for (const record of state.users.values()) {
      if (!(record.user.role_uids ?? []).includes(binding.role_uid)) continue
      const name = aclUserName(record.user)
      if (name === undefined) continue
      const entry = rulesByUser.get(name) ?? { record, rules: [] }
      entry.rules.push(acl.acl)
      rulesByUser.set(name, entry)
    }
  }
  const users = new Map<string, string>()
  for (const [name, { record, rules }] of rulesByUser) {
    // Every active password logs in (POST /v1/users/password adds one). Without a known SHA-256
    // (an older state file) the user exists but cannot AUTH.
    const hashes = [record.sha256, ...(record.extraPasswords ?? []).map(p => p.sha256)].filter(h => h !== undefined)
    users.set(name, `on${hashes.map(h => ` #${h}`).join('')} ${combine(rules)}`)
  }
  return { port, bind, live: liveConfig(bdb), defaultUser, users, stopped: bdb.traffic_manually_disabled === true }
}

/**
 * One argument of a redis.conf line, quoted as redis-server's own parser (sdssplitargs) reads it:
 * no value, whatever it holds, can end its line or start another directive.
 */
export function confArg (value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`
}

const line = (name: string, ...args: string[]): string => [name, ...(args.length === 0 ? [''] : args).map(confArg)].join(' ')
const words = (value: string): string[] => value.split(' ').filter(w => w !== '')

/** The config file a server starts with: what must hold before the first client (and before loading data). */
export function configFile (s: ServerSettings, opts: { dir: string, internalSha: string }): string {
  return [
    line('port', String(s.port)),
    line('bind', ...s.bind),
    'protected-mode no',
    'daemonize no',
    'logfile ""',
    line('dir', opts.dir),
    'dbfilename dump.rdb',
    line('user', INTERNAL_USER, 'on', `#${opts.internalSha}`, '~*', '&*', '+@all'),
    line('user', 'default', ...words(s.defaultUser)),
    // `save 3600 1`: one argument per word (an empty value clears it)
    ...Object.entries(s.live).map(([k, v]) => line(k, ...words(v))),
    ''
  ].join('\n')
}
