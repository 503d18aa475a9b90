// TLS material: a user-supplied PEM pair, or a self-signed certificate generated once and
// kept in the certs directory so later starts (and `curl --cacert certs/cert.pem`) reuse it.
import { mkdir, readFile, writeFile, rename, chmod } from 'node:fs/promises'
import { hostname } from 'node:os'
import { isIP, isIPv4 } from 'node:net'
import { join } from 'node:path'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { ConfigError } from './base/errors.js'
import { selfSigned } from './tls-generate.js'

export interface TlsMaterial {
  readonly cert: string
  readonly key: string
  /** true when this call generated the certificate */
  readonly generated: boolean
  /** why a certificate already in the certs directory was replaced */
  readonly replaced?: string
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

/** A PEM pair Node can serve: a certificate, a private key, and the key belongs to it. */
function checkPair (cert: string, key: string, where: { cert: string, key: string }, hint = ''): X509Certificate {
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw new ConfigError(`The certificate ${where.cert} is not a valid PEM certificate${hint}.`)
  }
  let ok = false
  try {
    ok = x509.checkPrivateKey(createPrivateKey(key))
  } catch {
    throw new ConfigError(`The private key ${where.key} is not a valid PEM private key${hint}.`)
  }
  if (!ok) throw new ConfigError(`The private key ${where.key} does not belong to its certificate${hint}.`)
  return x509
}

// The default '::1' is known to be an address: asking net.isIP about it would compile its large
// IPv6 pattern on every start (~5 ms and ~100 KB). Names given with a colon still ask.
const isAddress = (name: string): boolean => name === '::1' || (name.includes(':') ? isIP(name) === 6 : isIPv4(name))

/** The names of `wanted` the certificate does not cover (DNS names and IP addresses). */
export function missingNames (x509: X509Certificate, wanted: readonly string[]): string[] {
  return wanted.filter(n => isAddress(n) ? x509.checkIP(n) === undefined : x509.checkHost(n, { subject: 'never' }) === undefined)
}

export function certificateNames (extra: readonly string[] = []): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...extra].filter(Boolean))]
}

// Built, the generator's script sits beside this module's output; run from source (tests), it
// does not, and the certificate is made in this process.
const GENERATOR = fileURLToPath(new URL('./tls-worker.js', import.meta.url))

async function generate (names: readonly string[]): Promise<{ cert: string, key: string }> {
  const altNames = names.map(n => isAddress(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })
  const now = Date.now()
  if (!existsSync(GENERATOR)) return await selfSigned(altNames, now)
  const { execFile } = await import('node:child_process')
  return await new Promise((resolve, reject) => {
    execFile(process.execPath, [GENERATOR, JSON.stringify({ altNames, now })], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err !== null) return reject(new Error(`making the certificate failed: ${stderr.trim() || err.message}`))
      resolve(JSON.parse(stdout) as { cert: string, key: string })
    })
  })
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
    checkPair(cert, key, { cert: options.cert, key: options.key })
    return { cert, key, generated: false }
  }
  const certPath = join(options.certsDir, 'cert.pem')
  const keyPath = join(options.certsDir, 'key.pem')
  let replaced: string | undefined
  let existing: { cert: string, key: string } | undefined
  try {
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')])
    existing = { cert, key }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`Cannot read the certificate in ${options.certsDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`)
    }
  }
  if (existing !== undefined) {
    const x509 = checkPair(existing.cert, existing.key, { cert: certPath, key: keyPath }, ' (delete cert.pem and key.pem there to have a new pair generated)')
    // Only the names asked for count: the host name changes with every container.
    const missing = missingNames(x509, options.certNames ?? [])
    const expiring = new Date(x509.validTo).getTime() <= Date.now() + 86_400_000
    if (missing.length === 0 && !expiring) return { ...existing, generated: false }
    replaced = expiring ? 'it expires within a day' : `it lacks the requested name${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
  }
  const pems = await generate(certificateNames(options.certNames))
  try {
    await mkdir(options.certsDir, { recursive: true })
    await writeAtomic(keyPath, pems.key, 0o600)
    await writeAtomic(certPath, pems.cert, 0o644)
  } catch (e) {
    throw new ConfigError(`Cannot write the generated certificate to ${options.certsDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`)
  }
  return { ...pems, generated: true, ...(replaced === undefined ? {} : { replaced }) }
}
