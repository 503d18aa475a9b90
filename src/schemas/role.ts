// Roles (/v1/roles, docs/rs-api-notes.md §5.4) and the management roles they grant.
import { arr, int, obj, str, strEnum, MANAGEMENT_ROLES, type SchemaObject } from './common.js'

// The docs give roles and Redis ACLs no length limit; the one of user names (255) keeps them sane.
export const MAX_OBJECT_NAME = 255
// OpenAPI pattern shared by role and Redis ACL names.
export const objectName = (): SchemaObject => str({ minLength: 1, maxLength: MAX_OBJECT_NAME, pattern: '^[a-zA-Z0-9_ \\[\\]()@,.;#-]+$' })

// Narrows a db_member/db_viewer role to some databases; DB uids are strings here.
export const roleResourceSchema: SchemaObject = obj({ type: strEnum('db'), uids: arr(str()) }, ['type', 'uids'])

const props: Record<string, SchemaObject> = {
  uid: int(1),
  name: objectName(),
  management: strEnum(...MANAGEMENT_ROLES),
  resources: arr(roleResourceSchema),
  account_id: int(),
  action_uid: str()
}

export const roleSchema: SchemaObject = obj(props, ['uid', 'name', 'management'])

const requestProps: Record<string, SchemaObject> = {
  name: props.name,
  management: props.management,
  resources: props.resources,
  account_id: props.account_id
}

/** POST /v1/roles. A missing name/management is the store's missing_field (406). */
export const roleCreateSchema: SchemaObject = obj(requestProps)

/** PUT /v1/roles/{uid}. */
export const roleUpdateSchema: SchemaObject = obj(requestProps)
