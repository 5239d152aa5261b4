import { exitCodes, LetterpressError } from '../common/errors.ts';

/** A file or folder letterpress must read or write cannot be used as it is (exit 1); earlier outputs are unchanged. */
export class FileSystemError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}

const fixes: Record<string, string> = {
  EACCES: 'letterpress may not read or write it; check its owner and permissions',
  EPERM: 'letterpress may not read or write it; check its owner and permissions',
  ENOTDIR: 'a file stands where a folder is needed; check the path',
  EISDIR: 'a folder stands where a file is needed; check the path',
  EEXIST: 'something is already there that letterpress did not write; move it or choose another path',
  ENOSPC: 'the disk is full; free space and run again',
  EDQUOT: 'the disk quota is used up; free space and run again',
  EROFS: 'the file system is read-only; choose another place',
  EIO: 'the disk reported an input/output error',
  ENAMETOOLONG: 'the path is too long; use a shorter one',
  ENOENT: 'it does not exist; check the path',
};

/** One line for a file-system failure a user can fix (`path: CODE: what to do`), or undefined for anything else. */
export function describeFileSystemError(error: unknown, fallbackPath: string): string | undefined {
  const { code, path: where } = (error ?? {}) as NodeJS.ErrnoException;
  if (!(error instanceof Error) || code === undefined || !fixes[code]) return undefined;
  return `${where ?? fallbackPath}: ${code}: ${fixes[code]}`;
}
