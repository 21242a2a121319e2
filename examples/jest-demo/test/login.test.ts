import { beforeAll, describe, expect, test } from '@jest/globals'
import { allowBlocking } from '@loopguard/jest'
import { login, loginSync, type User } from '../src/handler.js'
import { loadConfig, type AppConfig } from '../src/config.js'
import { makeUsers } from './users.js'

let config: AppConfig
let users: Map<string, User>

beforeAll(async () => {
  config = await loadConfig()
  users = await makeUsers(config)
})

const request = (user: string, password: string) => ({ body: JSON.stringify({ user, password }) })

describe('login', () => {
  test('rejects an unknown user', async () => {
    expect(await login(request('bob', 'x'), users, config)).toEqual({ status: 401, body: 'unknown user' })
  })

  test('accepts the right password without blocking the event loop', async () => {
    await expect(() => login(request('ada', 'correct horse'), users, config)).not.toBlockLoop(20)
  })

  // Fails: the sync handler reads the config and hashes the password on the event loop.
  test('accepts the right password (sync handler)', () => {
    expect(loginSync(request('ada', 'correct horse'), users)).toEqual({ status: 200, body: 'welcome' })
  })

  test('the sync hash is what blocks', () => {
    // Measuring the blocking is the point of this test: allow it, then assert it.
    allowBlocking(Infinity)
    expect(() => loginSync(request('ada', 'wrong'), users)).toBlockLoop(30)
  })
})
