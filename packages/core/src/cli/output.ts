// Writing a command's output file. A path that cannot be written (a read-only folder, a file where a folder
// should be) is the user's to fix: one line and exit code 2, not a stack trace.
import { InputError } from './errors.js'

const REASONS: Record<string, string> = {
  EEXIST: 'a file is where its folder should be',
  ENOTDIR: 'a file is where its folder should be',
  ENOENT: 'its folder does not exist',
  EISDIR: 'it is a folder',
  EACCES: 'no permission',
  EPERM: 'no permission',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
}

export function writeOutput(file: string, write: (file: string) => void): void {
  try {
    write(file)
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    const reason = code === undefined ? message : REASONS[code] ? `${REASONS[code]} (${code})` : code
    throw new InputError(`cannot write ${file}: ${reason}.`)
  }
}
