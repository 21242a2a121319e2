// A `.cpuprofile` of a test's blocking windows only, for Chrome DevTools (Performance panel: "Load profile").
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { mapCallFrames, type AttributionOptions } from './attribute.js'
import { indexProfile, sampleRange, windowEndMs, type BlockWindow, type CpuProfile, type ProfileNode } from './profile.js'

/** A file name for a test: its name with anything unsafe in a path replaced, at most 150 characters. */
export function profileFileName(testName: string): string {
  const safe = testName
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 150)
  return `${safe || 'test'}.cpuprofile`
}

/**
 * The samples of `profile` that fall inside the windows, as a profile of their own. Between windows the loop
 * was not blocked: an `(idle)` sample at each window's end keeps DevTools from stretching the last sample over
 * the gap.
 */
export function sliceProfile(profile: CpuProfile, windows: readonly BlockWindow[]): CpuProfile {
  const index = indexProfile(profile)
  const samples = profile.samples ?? []
  const sorted = [...windows].sort((a, b) => a.startMs - b.startMs)
  const root = profile.nodes[0]
  const idleId = profile.nodes.reduce((max, node) => Math.max(max, node.id), 0) + 1
  const kept = new Set<number>(root ? [root.id, idleId] : [idleId])
  const hits = new Map<number, number>()
  const keptSamples: number[] = []
  const keptTimes: number[] = []

  for (const window of sorted) {
    const [from, to] = sampleRange(index, window)
    for (let s = from; s < to; s++) {
      const id = samples[s]!
      keptSamples.push(id)
      keptTimes.push(index.times[s]!)
      hits.set(id, (hits.get(id) ?? 0) + 1)
      for (let at: number | undefined = id; at !== undefined && !kept.has(at); at = index.parents.get(at)) kept.add(at)
    }
    keptSamples.push(idleId)
    keptTimes.push(windowEndMs(window) * 1000)
    hits.set(idleId, (hits.get(idleId) ?? 0) + 1)
  }

  const nodes: ProfileNode[] = []
  for (const node of profile.nodes) {
    if (!kept.has(node.id)) continue
    const children = (node.children ?? []).filter((child) => kept.has(child))
    if (node === root) children.push(idleId)
    nodes.push({ id: node.id, callFrame: node.callFrame, hitCount: hits.get(node.id) ?? 0, children })
  }
  nodes.push({
    id: idleId,
    callFrame: { functionName: '(idle)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
    hitCount: hits.get(idleId) ?? 0,
    children: [],
  })

  const startTime = sorted.length > 0 ? sorted[0]!.startMs * 1000 : profile.startTime
  const last = sorted.at(-1)
  const endTime = last ? windowEndMs(last) * 1000 : profile.startTime
  const timeDeltas = keptTimes.map((t, i) => Math.round(t - (i === 0 ? startTime : keptTimes[i - 1]!)))
  return { nodes, startTime: Math.round(startTime), endTime: Math.round(endTime), samples: keptSamples, timeDeltas }
}

/**
 * Writes the test's blocking windows from `profile` to `<dir>/<test name>.cpuprofile` (the folder is created)
 * and returns the file's path. The project's functions point into their original source, found as
 * `attributeBlocks` finds it (same `root` and `retrieveSourceMap`).
 */
export function writeCpuProfile(
  dir: string,
  testName: string,
  profile: CpuProfile,
  windows: readonly BlockWindow[],
  options: Pick<AttributionOptions, 'root' | 'retrieveSourceMap'> = {},
): string {
  const target = join(resolve(dir), profileFileName(testName))
  mkdirSync(resolve(dir), { recursive: true })
  const temporary = `${target}.${process.pid}.tmp`
  const sliced = sliceProfile(profile, windows)
  sliced.nodes = mapCallFrames(sliced.nodes, options)
  try {
    writeFileSync(temporary, JSON.stringify(sliced))
    renameSync(temporary, target)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
  return target
}
