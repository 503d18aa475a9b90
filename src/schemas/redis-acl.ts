// Redis ACLs (/v1/redis_acls, docs/rs-api-notes.md §5.5).
import { int, obj, str, type SchemaObject } from './common.js'
import { objectName } from './role.js'

const props: Record<string, SchemaObject> = {
  uid: int(1),
  name: objectName(),
  // a Redis ACL rule string such as "+@read ~*"; whether it parses is the store's invalid_param
  acl: str(),
  min_version: str(),
  max_version: str(),
  account_id: int(),
  action_uid: str()
}

export const redisAclSchema: SchemaObject = obj(props, ['uid', 'name', 'acl'])

const requestProps: Record<string, SchemaObject> = { name: props.name, acl: props.acl, account_id: props.account_id }

/** POST /v1/redis_acls. A missing name/acl is the store's missing_field (406). */
export const redisAclCreateSchema: SchemaObject = obj(requestProps)

/** PUT /v1/redis_acls/{uid}. */
export const redisAclUpdateSchema: SchemaObject = obj(requestProps)
