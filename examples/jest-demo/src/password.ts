import { pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { AppConfig } from './config.js'

const pbkdf2Async = promisify(pbkdf2)

type HashOptions = AppConfig['passwordHash']

/** Hashes on the main thread: the whole event loop waits for every iteration. */
export function hashPasswordSync(password: string, salt: Buffer, options: HashOptions): Buffer {
  return pbkdf2Sync(password, salt, options.iterations, options.keyLength, options.digest)
}

/** Hashes on libuv's thread pool: the event loop keeps serving other requests meanwhile. */
export function hashPassword(password: string, salt: Buffer, options: HashOptions): Promise<Buffer> {
  return pbkdf2Async(password, salt, options.iterations, options.keyLength, options.digest)
}

export function newSalt(): Buffer {
  return randomBytes(16)
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
