// /v1/ldap_mappings (docs/rs-api-notes.md §5.14): the mapping object and its request bodies.
import { arr, bool, int, obj, str, type SchemaObject } from './common.js'

const writable: Record<string, SchemaObject> = {
  name: str({ maxLength: 255 }),
  dn: str({ maxLength: 1024 }),
  email: str({ maxLength: 254 }),
  role_uids: arr(int(1), { uniqueItems: true }),
  email_alerts: bool(),
  // database uids as strings, like a user's
  bdbs_email_alerts: arr(str({ maxLength: 20 })),
  cluster_email_alerts: bool(),
  account_id: int()
}

export const ldapMappingSchema: SchemaObject = obj({ uid: int(1), ...writable, action_uid: str() }, ['uid', 'name', 'dn', 'role_uids'])
/** A missing name, dn or role_uids is the store's missing_field. */
export const ldapMappingCreateSchema: SchemaObject = obj(writable)
export const ldapMappingUpdateSchema: SchemaObject = obj(writable)
