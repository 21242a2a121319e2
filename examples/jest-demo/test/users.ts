import { hashPassword, newSalt } from '../src/password.js'
import type { User } from '../src/handler.js'
import type { AppConfig } from '../src/config.js'

export async function makeUsers(config: AppConfig): Promise<Map<string, User>> {
  const salt = newSalt()
  const hash = await hashPassword('correct horse', salt, config.passwordHash)
  return new Map([['ada', { name: 'ada', salt, hash }]])
}
