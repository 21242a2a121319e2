// The setup file loopguard adds to every project. Vitest evaluates it again before each test file, even with
// isolate: false; it stays this small because it is transformed and sent to the worker each time, while the
// work lives in ./worker.js, loaded once per worker.
import { setUpTestFile } from './worker.js'

setUpTestFile()
