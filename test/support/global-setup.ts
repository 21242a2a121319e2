import { installRunners } from './install.js'

export default function setup(): void {
  installRunners()
}
