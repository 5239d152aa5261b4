import path from 'node:path';

/** Whether `target` is `folder` or lies below it (both absolute, compared as written: resolve links first where it matters). */
export function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
