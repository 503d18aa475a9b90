// Users: GET shape, the fixture format and the POST/PUT /v1/users bodies (docs/rs-api-notes.md §5.3).
import { arr, bool, int, isoTime, obj, str, strArr, strEnum, MANAGEMENT_ROLES, type SchemaObject } from './common.js'

// Patterns are the ones of the published OpenAPI spec (UserRequest).
// 254: the longest address SMTP carries (RFC 5321).
const email = (): SchemaObject => str({ maxLength: 254, pattern: '(^$|^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\\.[a-zA-Z0-9.-]+$)' })
const name = (): SchemaObject => str({ minLength: 1, maxLength: 255, pattern: '^[ -!#-%\'-;=?-~]+$' })

// The current docs list regular|certificate|entraid|sso; older ones list 'external' (LDAP users).
export const AUTH_METHODS = ['regular', 'certificate', 'external', 'entraid', 'sso'] as const

/** Every key of the captured RS 8.0 user, in its order. */
const capturedProps: Record<string, SchemaObject> = {
  auth_method: strEnum(...AUTH_METHODS),
  certificate_subject_line: str(),
  email: email(),
  email_alerts: bool(),
  name: name(),
  password_issue_date: isoTime(),
  // deprecated in favour of role_uids, but still returned (the management role of the user)
  role: strEnum(...MANAGEMENT_ROLES),
  role_uids: arr(int(1), { uniqueItems: true }),
  status: strEnum('active', 'locked', 'password_expired'),
  uid: int(1)
}

const optionalProps: Record<string, SchemaObject> = {
  account_id: int(),
  action_uid: str(),
  // DB uids as strings, or ["all"]
  bdbs_email_alerts: strArr(),
  cluster_email_alerts: bool(),
  // UNIX timestamp (integer), unlike every other time field
  last_login: int(0)
}

export const userGetKeys: readonly string[] = Object.freeze(Object.keys(capturedProps))

export const userSchema: SchemaObject = obj({ ...capturedProps, ...optionalProps }, userGetKeys)

/** A user in fixtures/default/users.json: the GET shape plus the plain-text password the store hashes. */
export const fixtureUserSchema: SchemaObject = obj({ ...capturedProps, ...optionalProps, password: str() }, userGetKeys)

const requestProps: Record<string, SchemaObject> = {
  email: email(),
  // with password_hash_method 1 this is SHA-256 of "username:clustername:password"
  password: str(),
  password_hash_method: { type: 'integer', enum: [1] },
  name: name(),
  role: strEnum(...MANAGEMENT_ROLES),
  role_uids: arr(int(1), { uniqueItems: true, minItems: 1 }),
  email_alerts: bool(),
  bdbs_email_alerts: strArr(),
  cluster_email_alerts: bool(),
  auth_method: strEnum(...AUTH_METHODS),
  certificate_subject_line: str(),
  account_id: int()
}

// Per-alert e-mail switches (alert_audit_db_conns, alert_bdb_backup, alert_node_memory, ...):
// dozens of booleans, all named alert_*.
const alertSwitches = { '^alert_[a-z0-9_]+$': { type: 'boolean' } }

/** POST /v1/users. Missing email/password/role are semantic errors left to the store. */
export const userCreateSchema: SchemaObject = {
  ...obj({ uid: int(1), ...requestProps }),
  patternProperties: alertSwitches
}

/** PUT /v1/users/{uid}. */
export const userUpdateSchema: SchemaObject = {
  ...obj(requestProps),
  patternProperties: alertSwitches
}
