// Cluster certificates (docs/rs-api-notes.md §5.14): the PEM pairs set through the API, validated with
// node:crypto before anything changes. The `api` one is what the HTTPS server presents: the
// server layer subscribes (onServedChange) and swaps its TLS context when it changes.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { createSecureContext } from 'node:tls'
import {
  certificateNotFound, expiredCertificate, invalidCertificate, requiredCertificate, unknownCertificate, unsupportedRotation
} from '../../base/errors.js'
import type { Core, Json, Pem, State } from '../kernel/index.js'

export type { Pem } from '../kernel/index.js'
export interface TlsPair { cert: string, key: string }

/** Always present: without one set through the API, they are the certificate the server presents. */
const REQUIRED = ['api', 'cm', 'proxy', 'syncer', 'metrics_exporter'] as const
const OPTIONAL = ['mtls_trusted_ca', 'ldap_client', 'sso_service', 'sso_issuer'] as const
export const INTERNAL_CERTIFICATES = ['ccs_internode_encryption', 'data_internode_encryption'] as const
// A CA or an IdP's certificate: there is no private key to give.
const KEYLESS = new Set(['mtls_trusted_ca', 'sso_issuer'])
const SETTABLE = new Set<string>([...REQUIRED, ...OPTIONAL])
// What every TLS client completes a handshake with (docs/decisions.md, "Certificates a client
// can use"): a secp256k1 or RSA-1024 certificate parses and even loads, then every handshake fails.
const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1'])
const MIN_RSA_BITS = 2048
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g

/** Why a certificate (with the chain after it) cannot be presented or trusted by TLS clients, or undefined. */
function unusableKey (x509: X509Certificate, position: string): string | undefined {
  const key = x509.publicKey
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength ?? 0
    return bits >= MIN_RSA_BITS ? undefined : `${position} has an RSA key of ${bits} bits (at least ${MIN_RSA_BITS} are needed)`
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? 'an unnamed curve'
    return CURVES.has(curve) ? undefined : `${position} uses the curve ${curve} (TLS clients accept P-256, P-384 and P-521)`
  }
  return `${position} has a ${key.asymmetricKeyType ?? 'unknown'} key (RSA or EC keys are needed)`
}

/** The problem a TLS server would have presenting `certificate` with `key`, or undefined: the same checks the next start makes. */
export function tlsProblem (name: string, certificate: string, key?: string): string | undefined {
  const blocks = certificate.match(PEM_BLOCK) ?? []
  // Bounded by the schema's certificate size: a chain of a few dozen at most.
  for (const [i, block] of blocks.entries()) {
    let x509: X509Certificate
    try {
      x509 = new X509Certificate(block)
    } catch {
      return `certificate: certificate ${i + 1} of the '${name}' chain is not a valid X.509 certificate`
    }
    const problem = unusableKey(x509, i === 0 ? `the '${name}' certificate` : `certificate ${i + 1} of the '${name}' chain`)
    if (problem !== undefined) return `certificate: ${problem}`
  }
  if (key === undefined) return undefined
  try {
    // What setSecureContext and the next start would do: OpenSSL's own checks (key size, digest, match).
    createSecureContext({ cert: certificate, key })
  } catch (e) {
    return `certificate: the '${name}' certificate and key cannot serve TLS (${(e as Error).message})`
  }
  return undefined
}

/** The OCSP responder the proxy certificate names (its Authority Information Access), else the one the control API declared, else ''. */
export function responderUrl (state: State): string {
  const declared = state.ocspState.responder?.responder_url ?? ''
  const pem = state.certificates.proxy?.certificate
  if (pem === undefined) return declared
  try {
    return /OCSP - URI:(\S+)/.exec(new X509Certificate(pem).infoAccess ?? '')?.[1] ?? declared
  } catch {
    return declared
  }
}

/** The names of the certificates set through the API that expire before `ms`. */
export function certificatesExpiringBefore (state: State, ms: number): string[] {
  return Object.entries(state.certificates).filter(([, pem]) => {
    try {
      return Date.parse(new X509Certificate(pem.certificate).validTo) < ms
    } catch {
      return false
    }
  }).map(([name]) => name).sort()
}

export class Certificates {
  private served?: TlsPair

  constructor (private readonly core: Core) {}

  /** GET /v1/cluster/certificates: `<name>_cert` and `<name>_key` of each certificate. */
  list (): Json {
    const out: Json = {}
    for (const name of [...REQUIRED, ...OPTIONAL]) {
      const pem = this.pem(name)
      if (pem === undefined) continue
      out[`${name}_cert`] = pem.certificate
      if (pem.key !== undefined) out[`${name}_key`] = pem.key
    }
    return out
  }

  /** PUT /v1/cluster/certificates and /v1/cluster/update_cert: all are checked before any is set. */
  update (items: Array<Pem & { name: string }>): void {
    const now = this.core.now()
    for (const item of items) this.validate(item, now)
    for (const { name, certificate, key } of items) {
      this.core.state.certificates[name] = key === undefined ? { certificate } : { certificate, key }
      this.core.log('cluster_certificate_updated', { certificate_name: name })
    }
    this.core.changed()
  }

  /** DELETE /v1/cluster/certificates/{name}: optional certificates only. */
  delete (name: string): void {
    if ((REQUIRED as readonly string[]).includes(name)) throw requiredCertificate(name)
    if (this.core.state.certificates[name] === undefined || !SETTABLE.has(name)) throw certificateNotFound(name)
    delete this.core.state.certificates[name]
    this.core.log('cluster_certificate_deleted', { certificate_name: name })
    this.core.changed()
  }

  /** The internal certificates POST /v1/cluster/certificates/rotate renews: all, or the one named. */
  rotationTargets (name?: string): string[] {
    if (name !== undefined && !(INTERNAL_CERTIFICATES as readonly string[]).includes(name)) throw unsupportedRotation(name)
    return name === undefined ? [...INTERNAL_CERTIFICATES] : [name]
  }

  /** Installs renewed internal certificates (made by the caller: generating one is asynchronous). */
  rotate (renewed: Record<string, Pem>): void {
    for (const [name, pem] of Object.entries(renewed)) {
      this.rotationTargets(name)
      this.core.state.certificates[name] = pem
      this.core.log('cluster_certificate_rotated', { certificate_name: name })
    }
    this.core.changed()
  }

  /** The TLS pair the server started with: what `api` (and the other required ones) are until set. */
  serve (pair: TlsPair, apply: (pair: TlsPair) => void, refused: (problem: string) => void = () => {}): void {
    this.served = pair
    let current = pair.cert
    const follow = (): void => {
      let next = this.pem('api')
      if (next?.key === undefined || next.certificate === current) return
      const problem = tlsProblem('api', next.certificate, next.key)
      if (problem !== undefined) {
        // Only a state file written before these checks holds one: serving it would lock every
        // client out (and end the start), so the start certificate is served and the caller logs why.
        delete this.core.state.certificates.api
        refused(problem)
        next = { certificate: pair.cert, key: pair.key }
        if (next.certificate === current) return
      }
      current = next.certificate
      apply({ cert: next.certificate, key: next.key ?? pair.key })
    }
    // After the state file's listener (registered earlier): a change it refused never reaches TLS.
    this.core.onChange(follow)
    this.core.onReset(follow)
    follow()
  }

  private pem (name: string): Pem | undefined {
    const set = this.core.state.certificates[name]
    if (set !== undefined) return set
    if (this.served !== undefined && (REQUIRED as readonly string[]).includes(name)) return { certificate: this.served.cert, key: this.served.key }
    return undefined
  }

  private validate ({ name, certificate, key }: Pem & { name: string }, now: number): void {
    if (!SETTABLE.has(name)) throw unknownCertificate(name)
    let x509: X509Certificate
    try {
      x509 = new X509Certificate(certificate)
    } catch {
      throw invalidCertificate(`certificate: the '${name}' certificate is not a PEM X.509 certificate`)
    }
    if (Date.parse(x509.validTo) <= now) throw expiredCertificate(name, new Date(x509.validTo).toISOString())
    if (key === undefined) {
      if (!KEYLESS.has(name)) throw invalidCertificate(`key: the '${name}' certificate needs its private key`)
      const problem = tlsProblem(name, certificate)
      if (problem !== undefined) throw invalidCertificate(problem)
      return
    }
    let privateKey: KeyObject
    try {
      privateKey = createPrivateKey(key)
    } catch {
      throw invalidCertificate(`key: the '${name}' key is not a PEM private key (encrypted keys are not accepted)`)
    }
    if (!x509.checkPrivateKey(privateKey)) throw invalidCertificate(`key: the '${name}' key does not match its certificate`)
    const problem = tlsProblem(name, certificate, key)
    if (problem !== undefined) throw invalidCertificate(problem)
  }
}
