// Making a self-signed certificate: selfsigned and its x509 stack, loaded only when a certificate
// must be made. Built, tls.ts runs it in a child process (tls-worker.ts): the ~6 MB that stack
// leaves in a heap go away with that process instead of staying in the server's for its whole life.
export interface AltName { type: 2, value: string }
export interface AltIp { type: 7, ip: string }

export async function selfSigned (altNames: ReadonlyArray<AltName | AltIp>, now: number): Promise<{ cert: string, key: string }> {
  const { generate: make } = await import('selfsigned')
  const pems = await make([{ name: 'commonName', value: 'redis-enterprise-mock' }], {
    // EC P-256 signs in ~15 ms where RSA-2048 takes ~150 ms: generation stays out of start-up time.
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 825 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...altNames] }
    ]
  })
  return { cert: pems.cert, key: pems.private }
}
