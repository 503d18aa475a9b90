// Certificate bodies: PUT /v1/cluster/certificates, PUT /v1/cluster/update_cert, rotate (docs/rs-api-notes.md §5.14).
import { arr, obj, str, type SchemaObject } from './common.js'

// name is any string: an unknown one is the documented 403, not a schema error
const certificateItem: SchemaObject = obj({ name: str({ minLength: 1 }), certificate: str({ minLength: 1 }), key: str({ minLength: 1 }) }, ['name', 'certificate'])

export const certificatesUpdateSchema: SchemaObject = obj({ certificates: arr(certificateItem, { minItems: 1 }) }, ['certificates'])
export const updateCertSchema: SchemaObject = certificateItem
export const rotateSchema: SchemaObject = obj({ name: str({ minLength: 1 }) })
