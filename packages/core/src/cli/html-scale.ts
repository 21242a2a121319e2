// Round axis ticks for the HTML page's charts: 0, 20, 40 ms rather than 0, 17.3, 34.6 ms.

/** The tick step among 1, 2, 5 × 10^k that divides `maxMs` into about `count` parts. */
export function tickStep(maxMs: number, count = 5): number {
  if (!(maxMs > 0)) return 1
  const raw = maxMs / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw)!
  return step
}

/** The end of a chart's axis: `maxMs` rounded up to a whole tick, and the ticks from 0 to it. */
export function axis(maxMs: number, count = 5): { endMs: number; ticks: number[] } {
  const step = tickStep(maxMs, count)
  const endMs = Math.max(step, Math.ceil(maxMs / step - 1e-9) * step)
  const ticks: number[] = []
  for (let ms = 0; ms <= endMs + step / 2; ms += step) ticks.push(Number(ms.toPrecision(12)))
  return { endMs, ticks }
}

export function tickLabel(ms: number): string {
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000} s`
  return `${Number(ms.toPrecision(6))} ms`
}
