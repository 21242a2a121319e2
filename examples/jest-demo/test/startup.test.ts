import { expect, test } from '@jest/globals'
import { loadConfigSync } from '../src/config.js'
import { hashPasswordSync, newSalt } from '../src/password.js'

// Top-level work runs while Jest collects the file: reported for the file, never charged to a test.
const config = loadConfigSync()
const adminHash = hashPasswordSync('admin', newSalt(), config.passwordHash)

test('reads the config at startup', () => {
  expect(loadConfigSync().port).toBe(8080)
  expect(adminHash).toHaveLength(config.passwordHash.keyLength)
})
