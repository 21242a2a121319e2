import { installRunner, packPackages, selectedRunners } from './runners.js'

/** Packs the packages and installs every selected runner; run once before the integration tests. */
export function installRunners(): void {
  const tarballs = packPackages()
  for (const name of selectedRunners()) installRunner(name, tarballs)
}
