// The state-file schemas of the cluster administration parts (snapshot.ts): the keys of the settings come from settings-defs.ts.
import { arr, obj, str, strEnum, type SchemaObject } from '../schemas/common.js'
import { SETTINGS } from './settings/index.js'
import { PEM_MAX } from '../schemas/certificates.js'

const map = (values: SchemaObject, keys?: readonly string[]): SchemaObject => keys === undefined
  ? { type: 'object', additionalProperties: values }
  : obj(Object.fromEntries(keys.map(k => [k, values])))

export const laterPartSchemas: Record<string, SchemaObject> = {
  settings: map({ type: 'object' }, Object.keys(SETTINGS)),
  serviceStates: map(obj({ status: strEnum('RUNNING', 'STOPPED', 'STARTING', 'RESTARTING'), start_time: str() }, ['status', 'start_time'])),
  // as long as PUT /v1/cluster/certificates accepts
  certificates: map(obj({ certificate: str({ maxLength: PEM_MAX }), key: str({ maxLength: PEM_MAX }) }, ['certificate'])),
  ocspState: obj({
    responder: obj({ responder_url: str(), cert_status: strEnum('GOOD', 'REVOKED', 'UNKNOWN'), revocation_time: str() }, ['cert_status']),
    status: { type: 'object' }
  })
}

export const directoryEntrySchema: SchemaObject = obj({ salt: str(), hash: str(), groups: arr(str()), email: str() }, ['salt', 'hash', 'groups'])
