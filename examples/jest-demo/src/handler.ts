// A login endpoint: parse the JSON body, check the password against the stored hash.
import { loadConfig, loadConfigSync, type AppConfig } from './config.js'
import { hashPassword, hashPasswordSync, sameHash } from './password.js'

export interface Request {
  body: string
}

export interface Response {
  status: number
  body: string
}

export interface User {
  name: string
  salt: Buffer
  hash: Buffer
}

export interface LoginBody {
  user: string
  password: string
  device?: Record<string, unknown>
}

export function parseLogin(body: string): LoginBody {
  const value = JSON.parse(body) as Partial<LoginBody>
  if (typeof value.user !== 'string' || typeof value.password !== 'string') throw new TypeError('user and password are required')
  return value as LoginBody
}

/** The handler as first written: sync config read and sync hashing on every request. */
export function loginSync(request: Request, users: Map<string, User>): Response {
  const config = loadConfigSync()
  const body = parseLogin(request.body)
  const user = users.get(body.user)
  if (!user) return { status: 401, body: 'unknown user' }
  const hash = hashPasswordSync(body.password, user.salt, config.passwordHash)
  return sameHash(hash, user.hash) ? { status: 200, body: 'welcome' } : { status: 401, body: 'wrong password' }
}

/** The handler as it should be: the config read and the hashing leave the event loop free. */
export async function login(request: Request, users: Map<string, User>, config?: AppConfig): Promise<Response> {
  const settings = config ?? (await loadConfig())
  const body = parseLogin(request.body)
  const user = users.get(body.user)
  if (!user) return { status: 401, body: 'unknown user' }
  const hash = await hashPassword(body.password, user.salt, settings.passwordHash)
  return sameHash(hash, user.hash) ? { status: 200, body: 'welcome' } : { status: 401, body: 'wrong password' }
}
