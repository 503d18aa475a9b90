// GET/PUT /v1/license (docs/rs-api-notes.md §5.9).
import { bool, int, isoTime, nullable, obj, str, strArr, type SchemaObject } from './common.js'

// A trial license reports cluster_name, owner and the *_limit fields it does not enforce as null.
const props: Record<string, SchemaObject> = {
  activation_date: isoTime(),
  cluster_name: nullable(str()),
  expiration_date: isoTime(),
  expired: bool(),
  features: strArr(),
  flash_shards_in_use: int(0),
  flash_shards_limit: nullable(int(0)),
  key: str(),
  license: str(),
  owner: nullable(str()),
  ram_shards_in_use: int(0),
  ram_shards_limit: nullable(int(0)),
  shards_limit: nullable(int(0))
}

export const licenseGetKeys: readonly string[] = Object.freeze(Object.keys(props))

export const licenseSchema: SchemaObject = obj(props, licenseGetKeys)

/** PUT /v1/license. */
export const licenseUpdateSchema: SchemaObject = obj({ license: str({ minLength: 1 }) }, ['license'])
