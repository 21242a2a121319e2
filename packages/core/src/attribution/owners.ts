// Which of several concurrent tests a block belongs to: the one whose function the profile's samples show on the
// stack while the block ran. V8's samples carry the frames of the running code, a resumed async function included,
// so a test's function is on the stack wherever its own code blocks, before or after an await.
import type { FunctionLocation } from './profiler.js'
import { indexProfile, sampleRange, stackOf, type BlockWindow, type CpuProfile } from './profile.js'

export interface OwnerCandidate {
  id: string
  location: FunctionLocation
}

/** Samples of these frames ran no JavaScript of anyone's: they say nothing about whose code blocked. */
const NO_STACK = new Set(['(garbage collector)', '(idle)', '(program)', '(root)'])

/**
 * For each window, the ids of the tests whose function was on the stack of most of the window's samples (at least
 * half of those that ran JavaScript, and at least 2), with other tests' functions on at most a tenth as many:
 * one id where the samples tell, several where those tests run one function (tests made in a loop), undefined
 * where the samples cannot tell. The windows must lie in `profile`. A candidate may come with several functions
 * (an entry each, same id).
 */
export function blockOwners(profile: CpuProfile, windows: readonly BlockWindow[], candidates: readonly OwnerCandidate[]): (string[] | undefined)[] {
  if (candidates.length === 0) return windows.map(() => undefined)
  const index = indexProfile(profile)
  const samples = profile.samples ?? []
  // The tests whose function lies at each place, as one key: their ids, sorted, joined by newlines.
  const idsByPlace = new Map<string, string[]>()
  for (const c of candidates) {
    const place = placeKey(c.location.scriptId, c.location.lineNumber, c.location.columnNumber)
    const ids = idsByPlace.get(place) ?? []
    if (!ids.includes(c.id)) ids.push(c.id)
    idsByPlace.set(place, ids)
  }
  const byPlace = new Map<string, string>()
  for (const [place, ids] of idsByPlace) byPlace.set(place, ids.sort().join('\n'))
  // Per profile node: the key of the candidates on its stack; '' when JavaScript of no candidate ran; null when none ran.
  const ownersOfNode = new Map<number, string | null>()
  const ownerOf = (nodeId: number): string | null => {
    let owner = ownersOfNode.get(nodeId)
    if (owner !== undefined) return owner
    const stack = stackOf(index, nodeId)
    owner = stack.length === 0 || NO_STACK.has(stack[0]!.callFrame.functionName) ? null : ''
    for (const node of owner === null ? [] : stack) {
      const cf = node.callFrame
      const key = byPlace.get(placeKey(cf.scriptId, cf.lineNumber, cf.columnNumber))
      if (key !== undefined) {
        owner = key
        break
      }
    }
    ownersOfNode.set(nodeId, owner)
    return owner
  }
  return windows.map((window) => {
    const [from, to] = sampleRange(index, window)
    const counts = new Map<string, number>()
    let javascript = 0
    for (let s = from; s < to; s++) {
      const owner = ownerOf(samples[s]!)
      if (owner === null) continue
      javascript++
      if (owner !== '') counts.set(owner, (counts.get(owner) ?? 0) + 1)
    }
    let best: [string, number] | undefined
    let others = 0
    for (const entry of counts) {
      if (!best || entry[1] > best[1]) {
        if (best) others += best[1]
        best = entry
      } else others += entry[1]
    }
    if (!best || best[1] < 2 || best[1] < javascript / 2 || others > best[1] / 10) return undefined
    return best[0].split('\n')
  })
}

/**
 * A block one concurrent test shared with others, as that test's report keeps it, given the ids `blockOwners` found
 * for it: undefined when other tests' function ran it; its own, no longer marked shared, when this test's alone
 * did; shared as measured when the samples cannot tell (`ids` undefined) or show a function this test runs with
 * others.
 */
export function ownedBlock<B extends { sharedBy?: number; sharedWith?: string[] }>(block: B, ids: readonly string[] | undefined, testId: string): B | undefined {
  if (ids === undefined) return block
  if (!ids.includes(testId)) return undefined
  if (ids.length > 1) return block
  const { sharedBy: _sharedBy, sharedWith: _sharedWith, ...own } = block
  return own as B
}

function placeKey(scriptId: string, line: number, column: number): string {
  return `${scriptId}:${line}:${column}`
}
