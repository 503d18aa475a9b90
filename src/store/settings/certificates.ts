// Cluster certificates (docs/rs-api-notes.md §5.14): the PEM pairs set through the API, validated with
// node:crypto before anything changes. The `api` one is what the HTTPS server presents: the
// server layer subscribes (onServedChange) and swaps its TLS context when it changes.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
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
  serve (pair: TlsPair, apply: (pair: TlsPair) => void): void {
    this.served = pair
    let current = pair.cert
    const follow = (): void => {
      const next = this.pem('api')
      if (next?.key === undefined || next.certificate === current) return
      current = next.certificate
      apply({ cert: next.certificate, key: next.key })
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
      if (KEYLESS.has(name)) return
      throw invalidCertificate(`key: the '${name}' certificate needs its private key`)
    }
    let privateKey: KeyObject
    try {
      privateKey = createPrivateKey(key)
    } catch {
      throw invalidCertificate(`key: the '${name}' key is not a PEM private key (encrypted keys are not accepted)`)
    }
    if (!x509.checkPrivateKey(privateKey)) throw invalidCertificate(`key: the '${name}' key does not match its certificate`)
  }
}
