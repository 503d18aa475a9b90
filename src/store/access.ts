// Who may call the API: users, their roles and authentication.
import { unauthorized } from '../errors.js'
import { dummyCredential, verifyPassword } from './passwords.js'
import type { Core } from './core.js'
import type { UserRecord } from './state.js'

export class Access {
  constructor (private readonly core: Core) {}

  /** The same answer, after the same work, for an unknown login and a wrong password. */
  authenticate (email: string, password: string): UserRecord {
    let found: UserRecord | undefined
    for (const r of this.core.state.users.values()) if (r.user.email === email) found = r
    const cred = found ?? dummyCredential
    const ok = verifyPassword(password, cred.salt, cred.hash)
    if (found === undefined || !ok) throw unauthorized()
    return found
  }

  /** The management role that decides API permissions: from the RBAC role the user holds. */
  managementRole (record: UserRecord): string {
    for (const uid of record.user.role_uids ?? []) {
      const role = this.core.state.roles.get(uid)
      if (role !== undefined) return role.management
    }
    return record.user.role ?? 'none'
  }
}
