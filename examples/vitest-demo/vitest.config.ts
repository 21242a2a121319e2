import { configDefaults, defineConfig } from 'vitest/config'
import { loopguard } from '@loopguard/vitest'

export default defineConfig({
  plugins: [loopguard({ budgetMs: 50 })],
  // .tmp holds the suite `pnpm bench` generates here while it runs.
  test: { exclude: [...configDefaults.exclude, '.tmp/**'] },
})
