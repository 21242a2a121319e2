import { expect, test } from '@jest/globals'
import { allowBlocking } from '@loopguard/jest'
import { parseLogin } from '../src/handler.js'

test('parses a login body quickly', () => {
  const body = JSON.stringify({ user: 'ada', password: 'correct horse' })
  expect(() => parseLogin(body)).not.toBlockLoop(10)
})

test('parses a login body with a large device history', () => {
  // A 10 MB body takes tens of milliseconds to parse; this test accepts it up to 500 ms.
  allowBlocking(500)
  const history = Array.from({ length: 200_000 }, (_, i) => ({ i, at: '2026-01-01T00:00:00Z', ok: true }))
  const body = JSON.stringify({ user: 'ada', password: 'x', device: { history } })
  expect(parseLogin(body).device).toBeDefined()
})

// Fails: the same large body without an allowance.
test('parses a login body with a large device history, twice', () => {
  const history = Array.from({ length: 300_000 }, (_, i) => ({ i, at: '2026-01-01T00:00:00Z', ok: true }))
  const body = JSON.stringify({ user: 'ada', password: 'x', device: { history } })
  expect(parseLogin(body).user).toBe('ada')
  expect(parseLogin(body).user).toBe('ada')
})
