import { createHash } from 'node:crypto';

/** A SHA-256 fingerprint as 64 lower-case hex digits, however it was written (`AB:CD:…` or `abcd…`). */
export function normalFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** The SHA-256 fingerprint of a certificate (DER), as the archive records it. */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}
