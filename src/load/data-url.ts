import { limits } from './limits.ts';

export type DataUrl = { type: string; bytes: Buffer } | { problem: string };

/**
 * The media type and decoded bytes of a `data:` URL (RFC 2397), refused
 * before decoding when it would exceed the image size limit.
 */
export function decodeDataUrl(url: string): DataUrl {
  const match = /^data:([^,]*),(.*)$/is.exec(url);
  if (!match) return { problem: 'is not a well-formed data: URL (no comma before the data)' };
  const [type = '', ...parameters] = (match[1] ?? '').split(';').map((p) => p.trim().toLowerCase());
  const payload = match[2] ?? '';
  const base64 = parameters.at(-1) === 'base64';
  // 4 base64 characters hold 3 bytes; percent-escaped text holds at most one byte a character.
  const decodedSize = base64 ? Math.floor((payload.length * 3) / 4) : payload.length;
  if (decodedSize > limits.imageBytes) return { problem: `holds more than ${limits.imageBytes / 1024 / 1024} MB, the limit for an image` };
  if (base64) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) return { problem: 'is not valid base64' };
    return { type: type || 'text/plain', bytes: Buffer.from(payload, 'base64') };
  }
  try {
    return { type: type || 'text/plain', bytes: Buffer.from(decodeURIComponent(payload), 'utf8') };
  } catch {
    return { problem: 'has a malformed percent escape (such as %zz)' };
  }
}
