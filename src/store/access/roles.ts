// Roles (/v1/roles, docs/rs-api-notes.md §5.4): the management role they grant and the databases they
// are bound to through bdb.roles_permissions.
import { randomUUID } from 'node:crypto'
import {
  changeLastAdminRoleNotAllowed, missingField, roleInUse, roleNotFound, unsupportedResource
} from '../../base/errors.js'
import { checkUniqueName, commitDelete, commitWrite, leadingKeys, mustGet, nextUid, type Core, type Json, type State } from '../kernel/index.js'
import type { Users, WriteOptions } from './users.js'

type Role = State['roles'] extends Map<number, infer R> ? R : never
export type RoleInput = Json & { name?: string, management?: string, resources?: Array<{ type: string, uids: string[] }> }

// Only db_member and db_viewer can be narrowed to some databases (docs/rs-api-notes.md §6.1).
const NARROWABLE = new Set(['db_member', 'db_viewer'])
const KEY_ORDER = ['uid', 'name', 'management']

export class Roles {
  constructor (private readonly core: Core, private readonly users: Users) {}

  list (): Role[] { return [...this.core.state.roles.values()] }

  get (uid: number): Role { return mustGet(this.core.state.roles, uid, roleNotFound) }

  create (body: RoleInput, { dryRun = false, caller }: WriteOptions = {}): Role {
    if (body.name === undefined) throw missingField('name')
    if (body.management === undefined) throw missingField('management')
    this.users.checkAdminGrant(caller, body.management === 'admin', 'create a role with the admin management role')
    const { roles } = this.core.state
    checkUniqueName(roles, 'role', body.name)
    checkResources(body.management, body.resources)
    const role = leadingKeys({ ...body, uid: nextUid(this.core.state, 'roles') }, KEY_ORDER) as Role
    if (dryRun) return role
    return commitWrite(this.core, roles, role, 'role_created', { role_uid: String(role.uid), role_name: role.name })
  }

  update (uid: number, body: RoleInput, { dryRun = false, caller }: WriteOptions = {}): Role {
    const current = this.get(uid)
    this.users.checkAdminGrant(caller, current.management === 'admin' || body.management === 'admin', 'grant the admin management role or change a role that has it')
    checkUniqueName(this.core.state.roles, 'role', body.name, uid)
    const next = leadingKeys({ ...current, ...body }, KEY_ORDER) as Role
    checkResources(next.management, next.resources as RoleInput['resources'])
    if (current.management === 'admin' && next.management !== 'admin') this.checkAdminsRemain(uid, next.management)
    if (dryRun) return next
    this.core.state.roles.set(uid, next)
    if (next.management !== current.management) this.users.syncRoles()
    return commitWrite(this.core, this.core.state.roles, next, 'role_updated', { role_uid: String(uid), fields: Object.keys(body).sort().join(',') })
  }

  /** Refused while users hold the role; its database bindings go with it. */
  delete (uid: number, { dryRun = false, caller }: WriteOptions = {}): { action_uid: string } {
    const role = this.get(uid)
    this.users.checkAdminGrant(caller, role.management === 'admin', 'delete a role with the admin management role')
    const holders = [...this.core.state.users.values()].filter(r => r.user.role_uids?.includes(uid)).map(r => r.user.uid)
    if (holders.length > 0) throw roleInUse(uid, holders)
    const answer = { action_uid: randomUUID() }
    if (dryRun) return answer
    for (const bdb of this.core.state.bdbs.values()) {
      const kept = bdb.roles_permissions.filter(p => p.role_uid !== uid)
      if (kept.length !== bdb.roles_permissions.length) bdb.roles_permissions = kept
    }
    commitDelete(this.core, 'roles', uid, 'role_deleted', { role_uid: String(uid), role_name: role.name })
    return answer
  }

  /** A role's management cannot change if that leaves the cluster without any admin user. */
  private checkAdminsRemain (uid: number, management: string): void {
    const { roles, users } = this.core.state
    const anyAdmin = (changed: string) => [...users.values()].some(({ user }) => {
      const held = user.role_uids ?? []
      return held.length === 0 ? user.role === 'admin' : held.some(r => (r === uid ? changed : roles.get(r)?.management) === 'admin')
    })
    if (anyAdmin('admin') && !anyAdmin(management)) {
      throw changeLastAdminRoleNotAllowed(`Role ${uid} is the last admin role held by a user; its management role cannot change`)
    }
  }
}

function checkResources (management: string, resources: RoleInput['resources']): void {
  if (resources !== undefined && resources.length > 0 && !NARROWABLE.has(management)) {
    throw unsupportedResource(`Only db_member and db_viewer roles can be limited to databases, not ${management}`)
  }
}
