import { describe, expect, it } from 'vitest'
import { asyncHint, describeNodeCall, publicModule } from '../src/attribution/node-apis.js'

describe('naming a call into Node.js', () => {
  it('names a function the public module exports, with what kind of block it is', () => {
    expect(describeNodeCall(publicModule('node:fs')!, 'readFileSync')).toBe('fs.readFileSync (sync I/O)')
    expect(describeNodeCall(publicModule('node:internal/fs/utils')!, 'statSync')).toBe('fs.statSync (sync I/O)')
    expect(describeNodeCall(publicModule('node:zlib')!, 'gzipSync')).toBe('zlib.gzipSync (sync)')
    expect(describeNodeCall(publicModule('node:internal/crypto/pbkdf2')!, 'pbkdf2Sync')).toBe('crypto.pbkdf2Sync (sync)')
    expect(asyncHint(describeNodeCall('crypto', 'pbkdf2Sync'))).toBe('use crypto.pbkdf2: it runs on the libuv thread pool, off the event loop')
  })

  it('leaves unnamed what is no API: internals, and names the module does not export', () => {
    // Node loading undici lazily on the first Request; the web streams and WebCrypto internals.
    expect(describeNodeCall(publicModule('node:internal/util')!, 'get')).toBeUndefined()
    expect(describeNodeCall(publicModule('node:internal/webstreams/writablestream')!, 'write')).toBeUndefined()
    expect(describeNodeCall(publicModule('node:internal/crypto/webcrypto')!, 'digest')).toBeUndefined()
    expect(describeNodeCall('fs', '')).toBeUndefined()
  })
})
