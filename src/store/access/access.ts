// Who is calling: Basic credentials and tokens, the login lockout, and the management roles a
// user holds. Cheap per request: verified Authorization headers are remembered (bounded).
import { adminOnly, unauthorized, userLocked } from '../../base/errors.js'
import { malformedAuthorization, parseAuthorization } from '../../base/authorization.js'
import { broadestRole, permissionsOf, type Permission } from '../../base/permissions.js'
import { dummyCredential, verifyAny } from './passwords.js'
import { clearFailures, isLocked, recordFailure } from './lockout.js'
import { DEFAULT_TOKEN_TTL, type Tokens } from './tokens.js'
import type { Core, UserRecord } from '../kernel/index.js'

const CACHE_SIZE = 1024

/** A verified header: valid while the user keeps the same credential (and the token lives). */
interface Verified { uid: number, hash: string, expMs: number }

export interface Grant {
  generation: number
  role: string
  allows(permission: Permission): boolean
}

const badToken = () => unauthorized('Invalid or expired token')

export class Access {
  private readonly verified = new Map<string, Verified>()
  private readonly grants = new WeakMap<UserRecord, Grant>()

  /** Logins a local user does not answer: the LDAP directory's, when the cluster uses it. */
  external?: (login: string, password: string) => UserRecord | undefined

  constructor (private readonly core: Core, private readonly tokens: Tokens) {}

  /** The user of an Authorization header verified before, while still valid; undefined otherwise. */
  verifiedUser (header: string): UserRecord | undefined {
    const hit = this.verified.get(header)
    if (hit === undefined) return undefined
    const record = this.core.state.users.get(hit.uid)
    if (record !== undefined && record.hash === hit.hash && (hit.expMs === Infinity || this.core.now() < hit.expMs) && record.user.status !== 'locked') {
      // Only a right password clears the count of wrong ones: token traffic must not.
      if (record.failures !== undefined && hit.expMs === Infinity) clearFailures(record)
      return record
    }
    this.verified.delete(header)
    return undefined
  }

  /** The user an Authorization header speaks for (Basic, `JWT <token>` or `Bearer <token>`);
   *  401 unauthorized or user_locked otherwise. A success is remembered for the header. */
  login (header: string): UserRecord {
    const hit = this.verifiedUser(header)
    if (hit !== undefined) return hit
    const auth = parseAuthorization(header)
    if (auth.scheme === 'malformed') throw malformedAuthorization()
    return auth.scheme === 'basic' ? this.loginBasic(header, auth.user, auth.password) : this.loginToken(header, auth.token)
  }

  /** A Basic login whose credentials are already decoded (the front door's come from
   *  @fastify/basic-auth); a success is remembered for `header`. */
  loginBasic (header: string, login: string, password: string): UserRecord {
    const record = this.authenticate(login, password)
    this.remember(header, record, Infinity)
    return record
  }

  /** The user of the token a `JWT` or `Bearer` header carries; a success is remembered for `header`. */
  loginToken (header: string, token: string): UserRecord {
    const found = this.tokens.verify(token)
    if (found === undefined) throw badToken()
    if (isLocked(this.core, found.record)) throw userLocked()
    this.remember(header, found.record, found.expMs)
    return found.record
  }

  private remember (header: string, record: UserRecord, expMs: number): void {
    if (this.verified.size >= CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string)
    this.verified.set(header, { uid: record.user.uid, hash: record.hash, expMs })
  }

  /** Basic login by email, or by name for a user without one (docs/decisions.md #19). An unknown login
   *  costs the same work and gets the same answer as a wrong password. */
  authenticate (login: string, password: string): UserRecord {
    let found: UserRecord | undefined
    for (const r of this.core.state.users.values()) if (r.user.email === login && login !== '') found = r
    if (found === undefined && login !== '') {
      for (const r of this.core.state.users.values()) if (r.user.email === '' && r.user.name === login) found = r
    }
    // Not a local login: the directory (LDAP) may know it (store/access/ldap.ts).
    if (found === undefined || found.user.auth_method === 'external') {
      const external = this.external?.(login, password)
      if (external !== undefined) return external
    }
    const cred = found ?? dummyCredential
    const ok = verifyAny(password, cred)
    if (found === undefined) {
      // No user_uid: a name typed into the wrong field could be a password.
      this.core.log('user_login_failed', {}, 'WARNING')
      throw unauthorized()
    }
    // Locked users get user_locked whatever the password (docs/decisions.md #12); failures then do not count.
    if (isLocked(this.core, found)) throw userLocked()
    if (!ok) throw recordFailure(this.core, found) ? userLocked() : unauthorized()
    if (found.failures !== undefined) clearFailures(found)
    return found
  }

  /** POST /v1/users/authorize: a token for the caller. */
  issueToken (record: UserRecord, ttl = DEFAULT_TOKEN_TTL): { access_token: string } {
    return { access_token: this.tokens.issue(record, ttl) }
  }

  /** POST /v1/users/refresh_jwt: needs the current token itself, not Basic credentials. */
  refreshToken (header: string | undefined, ttl = DEFAULT_TOKEN_TTL): { access_token: string } {
    const auth = parseAuthorization(header ?? '')
    if (auth.scheme !== 'token') throw unauthorized('refresh_jwt needs the current token: Authorization: JWT <token>')
    const found = this.tokens.verify(auth.token)
    if (found === undefined) throw badToken()
    return this.issueToken(found.record, ttl)
  }

  /** Drops remembered headers of a user whose password changed or who was deleted. */
  forget (uid: number): void {
    for (const [header, v] of this.verified) if (v.uid === uid) this.verified.delete(header)
  }

  /**
   * What a user may do: its broadest management role, and whether its roles hold a permission.
   * Remembered per user until the state changes (roles and users are part of it).
   */
  grant (record: UserRecord): Grant {
    const generation = this.core.generation
    const known = this.grants.get(record)
    if (known !== undefined && known.generation === generation) return known
    const roles = this.managementRoles(record)
    // the permissions its roles hold, as one set: a request's check is a single lookup
    const held = new Set(roles.flatMap(role => permissionsOf(role)))
    const grant: Grant = { generation, role: broadestRole(roles), allows: permission => held.has(permission) }
    this.grants.set(record, grant)
    return grant
  }

  /** The management roles of the RBAC roles a user holds (role_uids), else its legacy `role`. */
  managementRoles (record: UserRecord): string[] {
    const out: string[] = []
    for (const uid of record.user.role_uids ?? []) {
      const role = this.core.state.roles.get(uid)
      if (role !== undefined) out.push(role.management)
    }
    return out.length > 0 ? out : [record.user.role ?? 'none']
  }

  /** The user's `role` field: its broadest management role. */
  managementRole (record: UserRecord): string {
    return broadestRole(this.managementRoles(record))
  }

  /** Whether any of these roles (uids) has the admin management role. */
  grantsAdmin (roleUids: readonly number[] | undefined): boolean {
    return (roleUids ?? []).some(uid => this.core.state.roles.get(uid)?.management === 'admin')
  }

  /** Whether a user (record or object) holds the admin management role. */
  holdsAdmin (user: UserRecord['user']): boolean {
    return this.managementRoles({ user } as UserRecord).includes('admin')
  }

  /**
   * docs/access-control.md, "Who may grant admin": a caller without the admin management role (a
   * user_manager) neither grants it nor changes anything that holds it. No caller: the library.
   */
  checkAdminGrant (caller: UserRecord | undefined, touchesAdmin: boolean, what: string): void {
    if (touchesAdmin && caller !== undefined && !this.managementRoles(caller).includes('admin')) throw adminOnly(what)
  }

  /** A user with several roles holds the union of their permissions. */
  allows (record: UserRecord, permission: Permission): boolean {
    return this.grant(record).allows(permission)
  }
}
