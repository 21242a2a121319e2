import { defineConfig } from 'vitest/config'
import { loopguard } from '@loopguard/vitest'

export default defineConfig({
  plugins: [loopguard({ budgetMs: 50, budgets: { 'test/startup.test.ts': 120 } })],
})
