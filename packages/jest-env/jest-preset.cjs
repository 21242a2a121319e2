// `preset: '@loopguard/jest'`: the environment, the setup file and the reporter beside Jest's default one.
const { join } = require('node:path')

module.exports = {
  testEnvironment: join(__dirname, 'dist', 'node.cjs'),
  setupFilesAfterEnv: [join(__dirname, 'dist', 'setup.cjs')],
  reporters: ['default', join(__dirname, 'dist', 'reporter.cjs')],
}
