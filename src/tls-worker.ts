// The process tls.ts starts to make a certificate (see tls-generate.ts): the request as JSON in
// its one argument, the PEM pair as JSON on its standard output.
import { selfSigned, type AltIp, type AltName } from './tls-generate.js'

const { altNames, now } = JSON.parse(process.argv[2] ?? '{}') as { altNames: Array<AltName | AltIp>, now: number }
process.stdout.write(JSON.stringify(await selfSigned(altNames, now)))
