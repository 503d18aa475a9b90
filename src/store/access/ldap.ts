// LDAP (docs/rs-api-notes.md §5.14): the mappings from LDAP groups to roles (/v1/ldap_mappings), and the
// logins of external users. The mock has no LDAP server: the test-control API declares which
// login/password pairs the "directory" accepts and the groups (DNs) each belongs to. With
// control_plane LDAP on, such a login is authenticated here and gets the roles of the mappings
// of its groups; it shows in /v1/users as RS shows external users (auth_method "external").
import { randomBytes } from 'node:crypto'
import { directoryLoginNotFound, invalidDnParam, invalidNameParam, invalidRoleUidsParam, ldapMappingNotExist, ldapMappingNotExistOnDelete, missingField, nameAlreadyExists } from '../../base/errors.js'
import { hashPassword, verifyPassword } from './passwords.js'
import { leadingKeys, mustGet, nextUid, sortKeys, type Core, type DirectoryEntry, type Json, type LdapMapping, type UserRecord } from '../kernel/index.js'
import type { Access } from './access.js'
import type { Services, Settings } from '../settings/index.js'

export type { DirectoryEntry, LdapMapping } from '../kernel/index.js'
export interface DirectoryInput { password: string, groups: string[], email?: string }

const ORDER = ['uid', 'name', 'dn', 'email', 'role_uids', 'email_alerts', 'bdbs_email_alerts', 'cluster_email_alerts', 'account_id']
const DN = /^\s*[A-Za-z][\w.-]*\s*=\s*[^,=]+(,\s*[A-Za-z][\w.-]*\s*=\s*[^,=]+)*\s*$/
// DNs compare without case and without spaces around separators.
const normalDn = (dn: string): string => dn.toLowerCase().split(',').map(p => p.split('=').map(s => s.trim()).join('=')).join(',')

export class Ldap {
  constructor (private readonly core: Core, private readonly access: Access, settings: Settings, private readonly services: Services) {
    // LDAP switched off, pointed elsewhere or its agent stopped: remembered external logins must be checked again.
    settings.onChanged('ldap', () => this.forgetExternal())
    settings.onChanged('services_configuration', () => this.forgetExternal())
    services.onOperated(() => this.forgetExternal())
  }

  list (): LdapMapping[] { return [...this.core.state.ldapMappings.values()] }

  get (uid: number): LdapMapping { return mustGet(this.core.state.ldapMappings, uid, ldapMappingNotExist) }

  create (body: Json, caller?: UserRecord): LdapMapping {
    for (const f of ['name', 'dn', 'role_uids']) if (body[f] === undefined) throw missingField(f)
    this.access.checkAdminGrant(caller, this.access.grantsAdmin(body.role_uids as number[]), 'map a group to a role with the admin management role')
    const mapping = this.checked({ email_alerts: true, ...body, uid: Math.max(0, ...this.core.state.ldapMappings.keys()) + 1 } as unknown as LdapMapping)
    this.core.state.ldapMappings.set(mapping.uid, mapping)
    this.core.log('ldap_mapping_created', { ldap_mapping_uid: String(mapping.uid), name: mapping.name })
    return this.commit(mapping)
  }

  update (uid: number, body: Json, caller?: UserRecord): LdapMapping {
    this.access.checkAdminGrant(caller, this.access.grantsAdmin(this.get(uid).role_uids) || this.access.grantsAdmin(body.role_uids as number[] | undefined),
      'map a group to a role with the admin management role or change such a mapping')
    const mapping = this.checked({ ...this.get(uid), ...body, uid } as LdapMapping)
    this.core.state.ldapMappings.set(uid, mapping)
    this.core.log('ldap_mapping_updated', { ldap_mapping_uid: String(uid), fields: Object.keys(body).sort().join(',') })
    return this.commit(mapping)
  }

  delete (uid: number, caller?: UserRecord): void {
    const mapping = mustGet(this.core.state.ldapMappings, uid, ldapMappingNotExistOnDelete)
    this.access.checkAdminGrant(caller, this.access.grantsAdmin(mapping.role_uids), 'delete a mapping to a role with the admin management role')
    this.core.state.ldapMappings.delete(uid)
    this.core.log('ldap_mapping_deleted', { ldap_mapping_uid: String(uid), name: mapping.name })
    this.commit(mapping)
  }

  /** The directory's logins (control API): no password hash leaves the store. */
  directory (): Json {
    return Object.fromEntries([...this.core.state.ldapDirectory].map(([login, e]) => [login, this.presentEntry(e)]))
  }

  setDirectoryUser (login: string, input: DirectoryInput): Json {
    const entry = { ...hashPassword(input.password), groups: input.groups, ...(input.email === undefined ? {} : { email: input.email }) }
    this.core.state.ldapDirectory.set(login, entry)
    this.forgetExternal()
    this.core.changed()
    return this.presentEntry(entry)
  }

  removeDirectoryUser (login: string): void {
    if (!this.core.state.ldapDirectory.delete(login)) throw directoryLoginNotFound(login)
    this.forgetExternal()
    this.core.changed()
  }

  private presentEntry (e: DirectoryEntry): Json {
    return { groups: e.groups, ...(e.email === undefined ? {} : { email: e.email }) }
  }

  /**
   * A Basic login no local user answers. Undefined (so the caller answers 401 as for any wrong
   * login) unless LDAP control-plane authentication is on, the directory accepts the password,
   * and one of its groups is mapped to a role.
   */
  login (login: string, password: string): UserRecord | undefined {
    const { state } = this.core
    // The LDAP agent asks the directory: stopped or disabled, no LDAP login succeeds.
    if (state.settings.ldap?.control_plane !== true || !this.services.running('ldap_agent_mgr')) return undefined
    const entry = state.ldapDirectory.get(login)
    if (entry === undefined || !verifyPassword(password, entry.salt, entry.hash)) return undefined
    const groups = new Set(entry.groups.map(normalDn))
    const roleUids = [...new Set(this.list().filter(m => groups.has(normalDn(m.dn))).flatMap(m => m.role_uids))]
      .filter(uid => state.roles.has(uid)).sort((a, b) => a - b)
    if (roleUids.length === 0) return undefined
    // One created through POST /v1/users (auth_method external, its email the login) or by an earlier login.
    let record = [...state.users.values()].find(r => r.user.auth_method === 'external' && (r.user.email === login || r.user.name === login))
    if (record !== undefined && JSON.stringify(record.user.role_uids) === JSON.stringify(roleUids)) return record
    if (record === undefined) {
      const user = sortKeys({
        auth_method: 'external',
        certificate_subject_line: '',
        email: entry.email ?? '',
        email_alerts: true,
        name: login,
        password_issue_date: this.core.nowIso(),
        role: 'none',
        role_uids: roleUids,
        status: 'active',
        uid: nextUid(state, 'users')
      }) as UserRecord['user']
      // No local password: only the directory's opens it.
      record = { user, ...hashPassword(randomBytes(24).toString('hex')) }
      state.users.set(user.uid, record)
      this.core.log('user_created', { user_uid: String(user.uid), user_name: login, auth_method: 'external' })
    }
    record.user.role_uids = roleUids
    record.user.role = this.access.managementRole(record)
    this.core.changed()
    return record
  }

  private checked (mapping: LdapMapping): LdapMapping {
    if (typeof mapping.name !== 'string' || mapping.name.trim() === '') throw invalidNameParam('name must be a non-empty string')
    if (!DN.test(mapping.dn)) throw invalidDnParam(`dn: '${mapping.dn}' is not a distinguished name such as OU=ops,DC=example,DC=com`)
    if (mapping.role_uids.length === 0) throw invalidRoleUidsParam('role_uids must name at least one role')
    const missing = mapping.role_uids.find(uid => !this.core.state.roles.has(uid))
    if (missing !== undefined) throw invalidRoleUidsParam(`role_uids: role ${missing} does not exist`)
    for (const other of this.core.state.ldapMappings.values()) {
      if (other.uid !== mapping.uid && other.name === mapping.name) throw nameAlreadyExists('LDAP mapping', mapping.name)
    }
    return leadingKeys(mapping, ORDER)
  }

  private commit (mapping: LdapMapping): LdapMapping {
    // A changed mapping changes what an external login may do: make them log in again.
    this.forgetExternal()
    this.core.changed()
    return mapping
  }

  private forgetExternal (): void {
    for (const r of this.core.state.users.values()) if (r.user.auth_method === 'external') this.access.forget(r.user.uid)
  }
}
