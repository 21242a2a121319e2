// The setup file exports nothing; importing its types brings in the `toBlockLoop` typings.
import type {} from './index.cjs'
