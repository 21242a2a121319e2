// The setup file loopguard adds to every project. Vitest evaluates it again before each test file, even with
// isolate: false; it stays this small because it is transformed and sent to the worker each time, while the
// work lives in ./worker.js, loaded once per worker.
import * as vitest from 'vitest'
import { setUpTestFile } from './worker.js'

// Awaited: Vitest imports the test file only once its setup files have finished, the loading of the profiler's
// code included. The namespace, not named imports: Vitest before 4.1 has no aroundAll or aroundEach to import.
await setUpTestFile(vitest)
