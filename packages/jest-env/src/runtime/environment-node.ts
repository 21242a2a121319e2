// `testEnvironment: '@loopguard/jest'` (through the package's main entry) or '@loopguard/jest/node'.
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node'
import { withLoopguard } from './with-loopguard.js'

export class TestEnvironment extends withLoopguard(NodeEnvironment) {}
export default TestEnvironment
export { withLoopguard }
