// `testEnvironment: '@loopguard/jest/jsdom'`: the same behaviour over jest-environment-jsdom (an optional peer).
import { TestEnvironment as JSDOMEnvironment } from 'jest-environment-jsdom'
import { withLoopguard } from './with-loopguard.js'

export class TestEnvironment extends withLoopguard(JSDOMEnvironment) {}
export default TestEnvironment
