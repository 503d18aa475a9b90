// TLS material: a user-supplied PEM pair, or a self-signed certificate generated once and
// kept in the certs directory so later starts (and `curl --cacert certs/cert.pem`) reuse it.
import { mkdir, readFile, writeFile, rename, chmod } from 'node:fs/promises'
import { hostname } from 'node:os'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { ConfigError } from './base/errors.js'

export interface TlsMaterial {
  readonly cert: string
  readonly key: string
  /** true when this call generated the certificate */
  readonly generated: boolean
}

export interface TlsOptions {
  readonly certsDir: string
  readonly cert?: string
  readonly key?: string
  readonly certNames?: readonly string[]
}

async function readPem (path: string, what: string): Promise<string> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new ConfigError(`Cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`)
  }
  if (!text.includes('-----BEGIN ')) throw new ConfigError(`The ${what} ${path} is not a PEM file.`)
  return text
}

function usable (cert: string): boolean {
  try {
    return new Date(new X509Certificate(cert).validTo).getTime() > Date.now() + 86_400_000
  } catch {
    return false
  }
}

export function certificateNames (extra: readonly string[] = []): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...extra].filter(Boolean))]
}

async function generate (names: readonly string[]): Promise<{ cert: string, key: string }> {
  // selfsigned pulls in a large x509 stack: load it only when a certificate must be made.
  const { generate: make } = await import('selfsigned')
  const now = Date.now()
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
      { name: 'subjectAltName', altNames: names.map(n => isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }) }
    ]
  })
  return { cert: pems.cert, key: pems.private }
}

async function writeAtomic (path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, data, { mode })
  await chmod(tmp, mode)
  await rename(tmp, path)
}

export async function loadTls (options: TlsOptions): Promise<TlsMaterial> {
  if (options.cert !== undefined && options.key !== undefined) {
    const [cert, key] = await Promise.all([readPem(options.cert, 'certificate'), readPem(options.key, 'private key')])
    return { cert, key, generated: false }
  }
  const certPath = join(options.certsDir, 'cert.pem')
  const keyPath = join(options.certsDir, 'key.pem')
  try {
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')])
    if (usable(cert)) return { cert, key, generated: false }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`Cannot read the certificate in ${options.certsDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`)
    }
  }
  const pems = await generate(certificateNames(options.certNames))
  try {
    await mkdir(options.certsDir, { recursive: true })
    await writeAtomic(keyPath, pems.key, 0o600)
    await writeAtomic(certPath, pems.cert, 0o644)
  } catch (e) {
    throw new ConfigError(`Cannot write the generated certificate to ${options.certsDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`)
  }
  return { ...pems, generated: true }
}
