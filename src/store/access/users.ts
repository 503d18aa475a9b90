// Users (/v1/users, docs/rs-api-notes.md §5.3): create, update, delete with their rules. The password
// only ever lives as a salted hash on the record; the user object never carries it.
import { randomBytes, randomUUID } from 'node:crypto'
import {
  changeLastAdminRoleNotAllowed, emailAlreadyExists, insufficientPermissions, invalidParam, missingField,
  newPasswordSameAsCurrent, objectUidExists, passwordNotComplex, userNameAlreadyExists, userNotFound
} from '../../base/errors.js'
import { clusterAlgorithm, passwordRecord, verifyAny } from './passwords.js'
import { clearFailures, isLocked } from './lockout.js'
import { mustGet, nextUid, retireUid, sortKeys, type Core, type Json, type UserRecord } from '../kernel/index.js'
import type { Access } from './access.js'

type User = UserRecord['user']
export type UserInput = Json & { uid?: number, email?: string, password?: string, name?: string, role?: string, role_uids?: number[], auth_method?: string }

// Any user may change these on itself without update_user (docs/rs-api-notes.md §5.3).
const SELF_SERVICE = /^(name|password|email_alerts|bdbs_email_alerts|cluster_email_alerts|alert_[a-z0-9_]+)$/

export interface WriteOptions {
  dryRun?: boolean
  /** who asks: a user_manager cannot grant admin (Access.checkAdminGrant); none for the library */
  caller?: UserRecord
}

export class Users {
  constructor (private readonly core: Core, private readonly access: Access) {}

  list (): User[] { return [...this.core.state.users.values()].map(r => this.present(r)) }

  get (uid: number): User { return this.present(this.record(uid)) }

  record (uid: number): UserRecord { return mustGet(this.core.state.users, uid, userNotFound) }

  create (body: UserInput, { dryRun = false, caller }: WriteOptions = {}): User {
    const { state } = this.core
    // docs/decisions.md #19: no email is a data-access user (RS 6.0 answered `"email": ""`); it logs in by name.
    const email = body.email ?? ''
    if (email === '' && (body.name === undefined || body.name === '')) throw missingField('email')
    if (body.uid !== undefined && state.users.has(body.uid)) throw objectUidExists('user', body.uid)
    this.checkUnique(body)
    const authMethod = body.auth_method ?? 'regular'
    if (authMethod === 'regular' && (body.password === undefined || body.password === '')) throw missingField('password')
    this.checkPasswordInput(body, email)
    const { password, password_hash_method: _, role, role_uids, ...rest } = body
    const user = sortKeys({
      auth_method: authMethod,
      certificate_subject_line: '',
      email_alerts: true,
      name: email,
      ...rest,
      email,
      password_issue_date: this.core.nowIso(),
      status: 'active',
      uid: body.uid ?? nextUid(state, 'users'),
      ...this.resolveRoles(role_uids, role ?? 'db_viewer')
    }) as User
    this.access.checkAdminGrant(caller, this.access.holdsAdmin(user), 'create a user with the admin role')
    if (dryRun) return user
    // Certificate, LDAP and SSO users have no password: a random one nobody knows.
    state.users.set(user.uid, { user, ...passwordRecord(password ?? randomBytes(24).toString('hex'), clusterAlgorithm(state.cluster)) })
    this.core.log('user_created', { user_uid: String(user.uid), user_email: user.email })
    this.core.changed()
    return user
  }

  /** `selfOnly`: the caller updates itself without update_user, so only the self-service fields. */
  update (uid: number, body: UserInput, { dryRun = false, selfOnly = false, caller }: WriteOptions & { selfOnly?: boolean } = {}): User {
    const record = this.record(uid)
    const changed = Object.keys(body)
    if (selfOnly && !changed.every(k => SELF_SERVICE.test(k))) throw insufficientPermissions('update_user')
    this.checkUnique(body, uid)
    const { password, password_hash_method: _, role, role_uids, ...rest } = body
    const next = { ...record.user, ...rest } as User
    if (role !== undefined || role_uids !== undefined) Object.assign(next, this.resolveRoles(role_uids, role ?? 'none'))
    if (password !== undefined) {
      this.checkPasswordInput(body, next.email)
      if (verifyAny(password, record)) throw newPasswordSameAsCurrent()
      next.password_issue_date = this.core.nowIso()
    }
    // Its role_uids, its password: an admin's credentials are an admin's to change.
    this.access.checkAdminGrant(caller, this.access.holdsAdmin(record.user) || this.access.holdsAdmin(next), 'grant the admin role or change a user who has it')
    this.checkAdminsRemain(uid, next)
    const user = sortKeys(next) as User
    if (dryRun) return user
    record.user = user
    if (password !== undefined) {
      // The admin unlock of docs/decisions.md #12; the old password and tokens die here.
      Object.assign(record, passwordRecord(password, clusterAlgorithm(this.core.state.cluster)))
      delete record.extraPasswords
      clearFailures(record)
    }
    // A remembered Basic header names the old login or credential: it must be checked again.
    if (password !== undefined || body.email !== undefined || body.name !== undefined || body.auth_method !== undefined) this.access.forget(uid)
    this.core.log('user_updated', { user_uid: String(uid), fields: changed.sort().join(',') })
    this.core.changed()
    return user
  }

  delete (uid: number, { dryRun = false, caller }: WriteOptions = {}): { action_uid: string } {
    const record = this.record(uid)
    this.access.checkAdminGrant(caller, this.access.holdsAdmin(record.user), 'delete a user who has the admin role')
    this.checkAdminsRemain(uid, undefined, 'The last user with the admin role cannot be deleted')
    const answer = { action_uid: randomUUID() }
    if (dryRun) return answer
    this.core.state.users.delete(uid)
    retireUid(this.core.state, 'users', uid)
    this.access.forget(uid)
    this.core.log('user_deleted', { user_uid: String(uid), user_email: record.user.email })
    this.core.changed()
    return answer
  }

  /** Access.checkAdminGrant, for the roles the users hold. */
  checkAdminGrant (caller: UserRecord | undefined, touchesAdmin: boolean, what: string): void {
    this.access.checkAdminGrant(caller, touchesAdmin, what)
  }

  /** Re-derives every user's `role` field after a role's management changed. */
  syncRoles (): void {
    for (const record of this.core.state.users.values()) record.user.role = this.access.managementRole(record)
  }

  private present (record: UserRecord): User {
    isLocked(this.core, record)
    return record.user
  }

  private checkUnique (body: UserInput, self?: number): void {
    for (const { user } of this.core.state.users.values()) {
      if (user.uid === self) continue
      if (body.email !== undefined && body.email !== '' && user.email === body.email) throw emailAlreadyExists(body.email)
      if (body.name !== undefined && user.name === body.name) throw userNameAlreadyExists(body.name)
    }
  }

  /** role_uids win; a legacy `role` alone maps to the first RBAC role with that management role. */
  private resolveRoles (roleUids: number[] | undefined, role: string): { role: string, role_uids: number[] } {
    const roles = this.core.state.roles
    if (roleUids !== undefined) {
      const missing = roleUids.find(uid => !roles.has(uid))
      if (missing !== undefined) throw invalidParam(`role_uids: role ${missing} does not exist`)
    }
    const uids = roleUids ?? [...roles.values()].filter(r => r.management === role).map(r => r.uid).sort((a, b) => a - b).slice(0, 1)
    const probe = { user: { role, role_uids: uids } } as unknown as UserRecord
    return { role: this.access.managementRole(probe), role_uids: uids }
  }

  private checkAdminsRemain (uid: number, next: User | undefined, description?: string): void {
    const isAdmin = (user: User) => this.access.managementRoles({ user } as UserRecord).includes('admin')
    const users = [...this.core.state.users.values()].map(r => r.user)
    if (!users.some(u => u.uid === uid && isAdmin(u))) return
    if (next !== undefined && isAdmin(next)) return
    if (!users.some(u => u.uid !== uid && isAdmin(u))) throw changeLastAdminRoleNotAllowed(description)
  }

  checkPasswordInput (body: UserInput, email: string): void {
    // Pre-hashed passwords (SHA-256 of "user:cluster:password") are not modelled: say so rather than mis-store.
    if (body.password_hash_method !== undefined) throw invalidParam('password_hash_method is not supported by the mock: send the password itself')
    if (body.password === undefined) return
    if (body.password === '') throw passwordNotComplex('The password must not be empty')
    this.checkComplexity(body.password, email)
  }

  /** The complexity rules apply only when the cluster turns them on (cluster.password_complexity). */
  private checkComplexity (password: string, email: string): void {
    const cluster = this.core.state.cluster
    if (cluster.password_complexity !== true) return
    const min = typeof cluster.password_min_length === 'number' ? cluster.password_min_length : 8
    const lower = password.toLowerCase()
    const problems = [
      password.length < min && `at least ${min} characters`,
      !/[A-Z]/.test(password) && 'an uppercase letter',
      !/[a-z]/.test(password) && 'a lowercase letter',
      !/\d/.test(password) && 'a digit',
      !/[^A-Za-z0-9]/.test(password) && 'a special character',
      email !== '' && (lower.includes(email.toLowerCase()) || lower.includes([...email.toLowerCase()].reverse().join(''))) && 'not the email or its reverse',
      /(.)\1{3}/.test(password) && 'no character repeated more than 3 times'
    ].filter(Boolean)
    if (problems.length > 0) throw passwordNotComplex(`The password does not meet the complexity rules: needs ${problems.join(', ')}`)
  }
}
