import { rename, writeFile } from 'node:fs/promises';

/** Writes to a temporary file beside `target`, then renames it: a reader never sees half a file. */
export async function writeAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, target);
}
