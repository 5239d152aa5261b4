import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Paper, Profile } from '../config/page-setup.ts';
import { ArchiveError, manifestName, type StoredVersion } from './layout.ts';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A relative path with `/` that stays inside the folder it is relative to. */
const innerPath = z.string().refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a path inside the version folder');

/** manifest.json of one archived version: what was built, from what, with what, and the hash of every file beside it. */
export const manifestSchema = z.strictObject({
  slug: z.string().min(1),
  /** The letter's date from its front matter (YYYY-MM or YYYY-MM-DD): the archive's top folder. */
  date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
  version: z.number().int().positive(),
  /**
   * sha256 of the manifest.json bytes of the letter's version before this one
   * (null for v1): each version seals the one before, a hash chain from v1 to the newest.
   */
  previous: sha256.nullable(),
  title: z.string(),
  /** Where the source was read from, relative to the folder `archive` ran in. */
  sourcePath: z.string(),
  /** The page setup of the build (`--paper`, `--profile`): a rebuild uses the same. */
  paper: z.enum(['a4', 'letter']) satisfies z.ZodType<Paper>,
  profile: z.enum(['pdf', 'print']) satisfies z.ZodType<Profile>,
  pages: z.number().int().positive(),
  /** The PDF is PDF/A-3 carrying its source (absent in versions archived before PDF/A): a rebuild makes the same. */
  pdfa: z.boolean().optional(),
  /**
   * The PDF carries a signature by this certificate (`archive --sign`; SHA-256
   * of its DER), or null when it was archived unsigned; absent in versions
   * archived before this was recorded. `verify` fails when the PDF no longer carries it.
   */
  signature: z.strictObject({ signer: z.string(), fingerprint: sha256 }).nullable().optional(),
  /** The table of contents as printed: each entry's title and page. */
  toc: z.array(z.strictObject({ id: z.string(), title: z.string(), page: z.number().int().positive() })),
  /**
   * Only when the letter shows images from outside its folder (the assets
   * folder): the files are then named by their paths from the folder that holds
   * the letter's folder and the assets folder, and these are those two folders'
   * places in it; a rebuild lays them out so (see src/load/kept-layout.ts).
   */
  folders: z.strictObject({ letter: innerPath.min(1), assets: innerPath.min(1) }).optional(),
  /** Every file of the version except this manifest, by its path inside the version folder. */
  files: z.record(
    innerPath,
    z.strictObject({ sha256, bytes: z.number().int().nonnegative() }),
  ),
  letterpressVersion: z.string(),
  chromiumVersion: z.string(),
  /** `package@version` of each bundled font package. */
  fonts: z.array(z.string()),
  /** SOURCE_DATE_EPOCH at build time (the PDF's dates come from it when set): a rebuild needs the same. */
  sourceDateEpoch: z.string().nullable(),
  /** When the version was built and archived; deliberately not inside the PDF, which stays reproducible. */
  builtAt: z.iso.datetime(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function sha256Of(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stable, human-readable JSON: the manifest's bytes only depend on its content. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`;
}

/**
 * A file of the archive, never through a symbolic link (O_NOFOLLOW: a link
 * fails with ELOOP): a link could show an identical copy kept anywhere.
 */
export function readArchived(file: string): Promise<Buffer> {
  return readFile(file, { flag: constants.O_RDONLY | constants.O_NOFOLLOW });
}

/** The version's manifest, checked against the schema and against the folder it sits in. */
export async function readManifest(version: StoredVersion): Promise<{ manifest: Manifest; sha256: string }> {
  const bytes = await readArchived(path.join(version.dir, manifestName));
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ArchiveError(`${version.rel}/${manifestName} is not JSON: ${(error as Error).message}`);
  }
  if (data !== null && typeof data === 'object' && !('previous' in data)) {
    throw new ArchiveError(`${version.rel}/${manifestName} has no \`previous\` hash: it was written before the archive was a hash chain, and letterpress cannot vouch for it (see docs/signatures.md, the hash chain)`);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) throw new ArchiveError(`${version.rel}/${manifestName} is not a valid manifest: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  if (manifest.date !== version.date || manifest.slug !== version.slug || manifest.version !== version.version) {
    throw new ArchiveError(`${version.rel}/${manifestName} describes ${manifest.date}/${manifest.slug}/v${manifest.version}, not the folder it is in`);
  }
  return { manifest, sha256: sha256Of(bytes) };
}
