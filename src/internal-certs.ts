// A new self-signed certificate for an internal cluster certificate (POST /v1/cluster/certificates/rotate).
import type { Pem } from './store/settings/index.js'

export async function internalCertificate (name: string): Promise<Pem> {
  // selfsigned pulls in a large x509 stack: loaded only when a rotation asks for it.
  const { generate } = await import('selfsigned')
  const now = Date.now()
  const pems = await generate([{ name: 'commonName', value: `${name}.internal` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 365 * 86_400_000)
  })
  return { certificate: pems.cert, key: pems.private }
}
