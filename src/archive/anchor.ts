import { timestampImprint } from '../sign/timestamp.ts';
import { sha256Of } from './manifest.ts';

/**
 * What an archive anchor time-stamps: the bytes of the chain's head (the
 * newest manifest.json of a letter, or the archive's index), passed as they
 * are to `requestTimestamp` and `checkTimestampToken`. The token's imprint is
 * then their SHA-256: the very hash the archive already names the head by (a
 * later manifest's `previous`, the catalogue's record), so a token says which
 * head it anchors in the archive's own terms.
 */
export function anchorDigest(headBytes: Uint8Array): string {
  return sha256Of(headBytes);
}

/**
 * The head hash a stored token anchors (lower-case hex, as `anchorDigest`
 * gives it), or undefined when the token cannot be read or does not imprint
 * with SHA-256: the version whose manifest hashes to it is the one anchored,
 * and a history rewritten after the anchor has no manifest that does.
 */
export function anchoredDigest(token: Uint8Array): string | undefined {
  const imprint = timestampImprint(token);
  return imprint?.algorithm === 'sha256' ? imprint.digest.toString('hex') : undefined;
}
