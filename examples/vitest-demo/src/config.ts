import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

export interface AppConfig {
  port: number
  sessionTtlSeconds: number
  passwordHash: { iterations: number; keyLength: number; digest: string }
}

const CONFIG_FILE = new URL('../config/app.json', import.meta.url)

/** Reads the config synchronously: fine at startup, a stall when called per request. */
export function loadConfigSync(): AppConfig {
  return JSON.parse(readFileSync(CONFIG_FILE, 'utf8')) as AppConfig
}

export async function loadConfig(): Promise<AppConfig> {
  return JSON.parse(await readFile(CONFIG_FILE, 'utf8')) as AppConfig
}
