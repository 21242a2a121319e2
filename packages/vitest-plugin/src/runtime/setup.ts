// The setup file loopguard adds to every project. Vitest evaluates it again before each test file, even with
// isolate: false; it stays this small because it is transformed and sent to the worker each time, while the
// work lives in ./worker.js, loaded once per worker.
import { aroundAll, aroundEach, expect, inject } from 'vitest'
import { setUpTestFile } from './worker.js'

// Awaited: Vitest imports the test file only once its setup files have finished, the loading of the profiler's
// code included.
await setUpTestFile({ aroundAll, aroundEach, expect, inject })
