// The package's main entry has two callers. Jest loads the environment class from it
// (`testEnvironment: '@loopguard/jest'`); specs import `allowBlocking` from it inside the test realm, where the
// class, and the jest-environment-node it extends, must not load. So the class is required on first read.
// Its typings are types/index.d.cts.
export { allowBlocking } from './runtime/allow-blocking.js'

declare const module: { exports: object }
const environment = { get: () => (require('./node.cjs') as { TestEnvironment: unknown }).TestEnvironment, enumerable: true }
Object.defineProperties(module.exports, { TestEnvironment: environment, default: environment })
