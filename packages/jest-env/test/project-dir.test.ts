import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectDir } from '../src/runtime/project-dir.js'

describe('projectDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'loopguard-project-'))
  const folder = (...parts: string[]) => {
    const dir = join(root, ...parts)
    mkdirSync(dir, { recursive: true })
    return dir
  }
  writeFileSync(join(folder('app'), 'package.json'), '{}')
  writeFileSync(join(folder('repo', 'packages', 'a'), 'package.json'), '{}')
  writeFileSync(join(folder('repo'), 'package.json'), '{}')

  it('is the package above a rootDir set to the sources', () => {
    expect(projectDir(folder('app', 'src'), join(root, 'app'))).toBe(join(root, 'app'))
  })

  it('is the rootDir that has a package.json of its own (a workspace of a monorepo run from its root)', () => {
    expect(projectDir(join(root, 'repo', 'packages', 'a'), join(root, 'repo'))).toBe(join(root, 'repo', 'packages', 'a'))
  })

  it('is the rootDir when no package.json lies between it and the folder Jest runs in', () => {
    // Above the folder Jest runs in is another project (a fixture copied into a runner's folder, say).
    expect(projectDir(folder('bare', 'project'), join(root, 'bare', 'project'))).toBe(join(root, 'bare', 'project'))
    expect(projectDir(folder('repo', 'tools', 'x'), join(root, 'repo', 'tools', 'x'))).toBe(join(root, 'repo', 'tools', 'x'))
  })

  it('is the rootDir when Jest runs outside it', () => {
    expect(projectDir(folder('app', 'lib'), folder('elsewhere'))).toBe(join(root, 'app', 'lib'))
  })
})
