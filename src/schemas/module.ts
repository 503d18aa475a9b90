// GET /v1/modules[/{uid}] (docs/rs-api-notes.md §5.10).
import { bool, int, obj, str, strArr, type SchemaObject } from './common.js'

const props: Record<string, SchemaObject> = {
  author: str(),
  bigstore_version_2_support: bool(),
  capabilities: strArr(),
  capability_name: str(),
  command_line_args: str(),
  // "" on some bundled versions
  compatible_redis_version: str(),
  config_command: str(),
  crdb: { type: 'object' },
  dependencies: { type: 'object' },
  description: str(),
  display_name: str(),
  email: str(),
  homepage: str(),
  is_bundled: bool(),
  license: str(),
  min_redis_version: str(),
  module_name: str({ minLength: 1 }),
  semantic_version: str({ pattern: '^\\d+\\.\\d+\\.\\d+$' }),
  // a 32-hex string, not an integer like every other uid
  uid: str({ pattern: '^[0-9a-f]{32}$' }),
  // semantic_version packed as an integer: 8.0.1 -> 80001
  version: int(0)
}

const optionalProps: Record<string, SchemaObject> = {
  module_file: str(),
  sha256: str(),
  action_uid: str()
}

export const moduleGetKeys: readonly string[] = Object.freeze(Object.keys(props))

export const moduleSchema: SchemaObject = obj({ ...props, ...optionalProps }, moduleGetKeys)
