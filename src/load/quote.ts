import { limits } from './limits.ts';

/** A URL or path as a message may quote it: its head only, so a 13,000-character data: URL or a 100,000-character path stays one short line. */
export function quoteHead(value: string): string {
  const chars = [...value];
  return chars.length > limits.quotedUrl ? `${chars.slice(0, limits.quotedUrl).join('')}…` : value;
}
