import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface AppConfig {
  port: number
  sessionTtlSeconds: number
  passwordHash: { iterations: number; keyLength: number; digest: string }
}

// Jest runs the app as CommonJS: the file is found from __dirname rather than import.meta.url.
const CONFIG_FILE = join(__dirname, '..', 'config', 'app.json')

/** Reads the config synchronously: fine at startup, a stall when called per request. */
export function loadConfigSync(): AppConfig {
  return JSON.parse(readFileSync(CONFIG_FILE, 'utf8')) as AppConfig
}

export async function loadConfig(): Promise<AppConfig> {
  return JSON.parse(await readFile(CONFIG_FILE, 'utf8')) as AppConfig
}
