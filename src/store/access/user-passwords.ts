// /v1/users/password (docs/rs-api-notes.md §5.3): a user holds a list of active passwords. PUT replaces the
// list with one, POST adds one, DELETE removes one; Basic auth accepts each (passwords.ts verifyAny).
import { badRequest, cannotDeleteLastPassword, newPasswordSameAsCurrent, unauthorizedAction, userNotExist } from '../../base/errors.js'
import { clusterAlgorithm, passwordRecord, verifyPassword, verifyAny, type HashingAlgorithm } from './passwords.js'
import { clearFailures } from './lockout.js'
import type { Access } from './access.js'
import type { Core, UserRecord } from '../kernel/index.js'
import type { Users } from './users.js'

export interface PasswordChange { username?: string, new_password?: string, old_password?: string }

export class UserPasswords {
  constructor (private readonly core: Core, private readonly users: Users, private readonly access: Access) {}

  /** PUT: the user's passwords become this one. */
  replace (caller: UserRecord, body: PasswordChange): void {
    const record = this.target(caller, body.username)
    const password = this.checkNew(record, body.new_password as string)
    Object.assign(record, this.hash(password))
    delete record.extraPasswords
    // The admin unlock of docs/decisions.md #12 applies here as on PUT /v1/users/{uid}.
    clearFailures(record)
    this.done(record, 'replace')
  }

  /** POST: one more active password. */
  add (caller: UserRecord, body: PasswordChange): void {
    const record = this.target(caller, body.username)
    const password = this.checkNew(record, body.new_password as string)
    record.extraPasswords = [...record.extraPasswords ?? [], this.hash(password)]
    this.done(record, 'add')
  }

  /** DELETE: one password less; the last one stays. */
  remove (caller: UserRecord, body: PasswordChange): void {
    const record = this.target(caller, body.username)
    const old = body.old_password as string
    const all = [{ salt: record.salt, hash: record.hash, sha256: record.sha256 }, ...record.extraPasswords ?? []]
    const index = all.findIndex(c => verifyPassword(old, c.salt, c.hash))
    if (index < 0) throw badRequest('old_password is not one of the user\'s passwords')
    if (all.length === 1) throw cannotDeleteLastPassword()
    all.splice(index, 1)
    const [first, ...rest] = all
    Object.assign(record, first)
    if (rest.length > 0) record.extraPasswords = rest
    else delete record.extraPasswords
    this.done(record, 'delete')
  }

  /** The user named by `username` (its email, or the name of a user without one), else the caller. */
  private target (caller: UserRecord, username: string | undefined): UserRecord {
    if (username === undefined || username === caller.user.email || (caller.user.email === '' && username === caller.user.name)) return caller
    // Checked before existence, so a non-admin cannot probe which logins exist.
    if (!this.access.managementRoles(caller).includes('admin')) throw unauthorizedAction()
    for (const r of this.core.state.users.values()) if (r.user.email === username) return r
    for (const r of this.core.state.users.values()) if (r.user.email === '' && r.user.name === username) return r
    throw userNotExist(username)
  }

  private checkNew (record: UserRecord, password: string): string {
    this.users.checkPasswordInput({ password }, record.user.email)
    // The password page lists 400 for every refusal (docs/decisions.md #24).
    if (verifyAny(password, record)) throw newPasswordSameAsCurrent(400)
    return password
  }

  private hash (password: string): { salt: string, hash: string, sha256: string } {
    return passwordRecord(password, clusterAlgorithm(this.core.state.cluster))
  }

  /** PATCH /v1/cluster/change_password_hashing_algorithm: new and changed passwords use it. */
  changeHashingAlgorithm (algorithm: HashingAlgorithm): void {
    const cluster = this.core.state.cluster
    if (clusterAlgorithm(cluster) === algorithm) throw badRequest(`The password hashing algorithm is already ${algorithm}`)
    const old = cluster.password_hashing_algorithm
    cluster.password_hashing_algorithm = algorithm
    this.core.log('cluster_password_hashing_algorithm_updated', { old_val: old ?? null, new_val: algorithm })
    this.core.changed()
  }

  private done (record: UserRecord, change: 'replace' | 'add' | 'delete'): void {
    if (change !== 'delete') record.user.password_issue_date = this.core.nowIso()
    // A remembered Basic header may carry a password that is gone now.
    this.access.forget(record.user.uid)
    this.core.log('user_password_changed', { user_uid: String(record.user.uid), change })
    this.core.changed()
  }
}
