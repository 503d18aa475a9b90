// Redis ACLs (/v1/redis_acls, docs/rs-api-notes.md §5.5): named Redis ACL rule strings that databases
// bind to roles through bdb.roles_permissions. The built-in three are read-only.
import { randomUUID } from 'node:crypto'
import { invalidParam, missingField, readOnlyObject, redisAclInUse, redisAclNotFound } from '../../base/errors.js'
import { checkUniqueName, commitDelete, commitWrite, leadingKeys, mustGet, nextUid, type Core, type Json, type State } from '../kernel/index.js'
import type { WriteOptions } from './users.js'

type RedisAcl = State['redisAcls'] extends Map<number, infer A> ? A : never
export type RedisAclInput = Json & { name?: string, acl?: string }

// docs/decisions.md #17 defaults; recognised by name since nothing else marks them (docs/differences.md).
export const BUILT_IN_ACLS: ReadonlySet<string> = new Set(['Full Access', 'Read Only', 'Not Dangerous'])
const KEY_ORDER = ['uid', 'name', 'acl']

// The rule words of a Redis ACL that make sense for a database binding (no users, passwords, on/off).
const RULE = new RegExp([
  '^[+-]@[a-z_-]+$', // categories
  '^[+-][a-z][a-z0-9._-]*(\\|[a-z0-9._-]+)?$', // commands and subcommands, module commands too
  '^(%(R|W|RW))?~\\S+$', // key patterns
  '^&\\S+$', // channel patterns
  '^(allkeys|resetkeys|allchannels|resetchannels|allcommands|nocommands)$'
].join('|'), 'i')

/** Why a rule string is not a valid ACL, or undefined. Selectors `( … )` hold rules too. */
export function aclProblem (acl: string): string | undefined {
  if (acl.trim() === '') return 'the ACL rule must not be empty'
  let depth = 0
  for (let word of acl.trim().split(/\s+/)) {
    if (word.startsWith('(')) { depth++; word = word.slice(1) }
    if (word.endsWith(')')) { depth--; word = word.slice(0, -1) }
    if (depth < 0 || depth > 1) return 'unbalanced selector parentheses'
    if (word !== '' && !RULE.test(word)) return `'${word}' is not a Redis ACL rule`
  }
  return depth === 0 ? undefined : 'unbalanced selector parentheses'
}

export class RedisAcls {
  constructor (private readonly core: Core) {}

  list (): RedisAcl[] { return [...this.core.state.redisAcls.values()] }

  get (uid: number): RedisAcl { return mustGet(this.core.state.redisAcls, uid, redisAclNotFound) }

  create (body: RedisAclInput, { dryRun = false }: WriteOptions = {}): RedisAcl {
    if (body.name === undefined) throw missingField('name')
    if (body.acl === undefined) throw missingField('acl')
    this.check(body)
    const acl = leadingKeys({ ...body, uid: nextUid(this.core.state, 'redisAcls') }, KEY_ORDER) as RedisAcl
    if (dryRun) return acl
    return commitWrite(this.core, this.core.state.redisAcls, acl, 'redis_acl_created', { redis_acl_uid: String(acl.uid), redis_acl_name: acl.name })
  }

  update (uid: number, body: RedisAclInput, { dryRun = false }: WriteOptions = {}): RedisAcl {
    const current = this.writable(uid)
    this.check(body, uid)
    const next = leadingKeys({ ...current, ...body }, KEY_ORDER) as RedisAcl
    if (dryRun) return next
    return commitWrite(this.core, this.core.state.redisAcls, next, 'redis_acl_updated', { redis_acl_uid: String(uid), fields: Object.keys(body).sort().join(',') })
  }

  /** Refused while a database binds the ACL to a role (its binding would dangle). */
  delete (uid: number, { dryRun = false }: WriteOptions = {}): { action_uid: string } {
    const acl = this.writable(uid)
    const users = [...this.core.state.bdbs.values()].filter(b => b.roles_permissions.some(p => p.redis_acl_uid === uid)).map(b => b.uid)
    if (users.length > 0) throw redisAclInUse(uid, users)
    const answer = { action_uid: randomUUID() }
    if (dryRun) return answer
    commitDelete(this.core, 'redisAcls', uid, 'redis_acl_deleted', { redis_acl_uid: String(uid), redis_acl_name: acl.name })
    return answer
  }

  private writable (uid: number): RedisAcl {
    const acl = this.get(uid)
    if (BUILT_IN_ACLS.has(acl.name)) throw readOnlyObject('Redis ACL', acl.name)
    return acl
  }

  private check (body: RedisAclInput, self?: number): void {
    checkUniqueName(this.core.state.redisAcls, 'Redis ACL', body.name, self)
    const problem = body.acl === undefined ? undefined : aclProblem(body.acl)
    if (problem !== undefined) throw invalidParam(`Invalid Redis ACL: ${problem}`)
  }
}
