// Certificate bodies: PUT /v1/cluster/certificates, PUT /v1/cluster/update_cert, rotate (docs/rs-api-notes.md §5.14).
import { arr, obj, str, type SchemaObject } from './common.js'

// name is any string: an unknown one is the documented 403, not a schema error
// 64 KiB holds a chain of a dozen RSA-4096 certificates.
export const PEM_MAX = 65_536
const certificateItem: SchemaObject = obj({
  name: str({ minLength: 1, maxLength: 64 }), certificate: str({ minLength: 1, maxLength: PEM_MAX }), key: str({ minLength: 1, maxLength: PEM_MAX })
}, ['name', 'certificate'])

export const certificatesUpdateSchema: SchemaObject = obj({ certificates: arr(certificateItem, { minItems: 1 }) }, ['certificates'])
export const updateCertSchema: SchemaObject = certificateItem
export const rotateSchema: SchemaObject = obj({ name: str({ minLength: 1 }) })
