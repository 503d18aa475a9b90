// --state-file: the state is loaded at start, and every change is on disk before its response
// leaves (written synchronously from the store's change listener: temp file, fsync, rename,
// fsync of the directory), so a crash at any instant leaves the old or the new file, never a
// torn one. A change that cannot be written is rolled back and answered 500 state_write_failed.
import { randomBytes } from 'node:crypto'
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { isApiError, stateWriteFailed, ConfigError } from './base/errors.js'
import { stateText, type Store } from './store/index.js'

// Created exclusively, never through a symlink, readable by the owner only: the state holds
// password hashes, and a file or link planted under a guessable name must not become the state.
const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)
const TMP = /^\.(?:\d+|[0-9a-f]{32})\.tmp$/

const tmpName = (path: string): string => `${path}.${randomBytes(16).toString('hex')}.tmp`

/** Removes the temporary files a crash mid-write left beside `path` (never following a link). */
export function removeStaleTemps (path: string): void {
  const dir = dirname(path)
  const prefix = `${basename(path)}.`
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !TMP.test(name.slice(prefix.length - 1))) continue
    const file = join(dir, name)
    if (lstatSync(file).isDirectory()) continue
    rmSync(file, { force: true })
  }
}

/** Writes `text` to `path` so that the file is either the old or the new content, durably. */
export function writeFileDurably (path: string, text: string): void {
  const tmp = tmpName(path)
  let fd = openSync(tmp, EXCLUSIVE, 0o600)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw e
  }
  closeSync(fd)
  try {
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  // The rename itself is durable only once the directory entry is flushed.
  fd = openSync(dirname(path), 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function readStateFile (path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw new ConfigError(`Cannot read the state file ${path}: ${code ?? (e as Error).message}. It was left as it is.`)
  }
}

export interface StateFile {
  readonly path: string
  /** true when the state came from the file, false when the file was missing */
  readonly loaded: boolean
}

/**
 * Loads the state file into the store (a missing file keeps the store's start state and
 * creates the file), then saves every change. A corrupt or unreadable file throws ConfigError
 * and is never written.
 */
export function attachStateFile (store: Store, file: string): StateFile {
  const path = resolve(file)
  const text = readStateFile(path)
  if (text !== undefined) {
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch (e) {
      throw new ConfigError(`The state file ${path} is not valid JSON (${(e as Error).message}). Fix or remove it; it was left as it is.`)
    }
    try {
      store.loadState(doc)
    } catch (e) {
      if (!isApiError(e)) throw e
      throw new ConfigError(`The state file ${path} is not a state document: ${e.message.replace(/^.*nothing changed: /, '')}. Fix or remove it; it was left as it is.`)
    }
  }
  let saved = stateText(store.state, store.nowIso())
  try {
    mkdirSync(dirname(path), { recursive: true })
    removeStaleTemps(path)
    writeFileDurably(path, saved)
  } catch (e) {
    throw new ConfigError(`Cannot write the state file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`)
  }
  store.onChange(() => {
    const next = stateText(store.state, store.nowIso())
    try {
      writeFileDurably(path, next)
    } catch (e) {
      // Memory must not run ahead of the file: put back what the file holds.
      store.restoreState(JSON.parse(saved))
      throw stateWriteFailed((e as NodeJS.ErrnoException).code ?? (e as Error).message)
    }
    saved = next
  })
  return { path, loaded: text !== undefined }
}
