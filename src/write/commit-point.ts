import { channel } from 'node:diagnostics_channel';

/**
 * The named points of a run where what is on disk is about to mean something
 * else: a test stops the run at one to check that a kill or Ctrl-C there
 * loses nothing (tests/support/commit-points.mjs).
 */
export const commitPoints = {
  /** writeTogether: one output written to its temporary, before the journal. */
  'write.temporary': 'letterpress:write.temporary',
  /** archive: one file of a version written into its staging folder. */
  'archive.staged-file': 'letterpress:archive.staged-file',
  /** archive: a version renamed into place, before the catalogue's index.json (the commit point). */
  'archive.version-renamed': 'letterpress:archive.version-renamed',
  /** archive: index.json renamed into place (committed), before index.html. */
  'archive.catalogue-committed': 'letterpress:archive.catalogue-committed',
  /** distribute: a copy made (in the main thread; no worker is given more copies while it is held). */
  'distribute.copy-made': 'letterpress:distribute.copy-made',
  /** distribute: the copies put in place, before their passwords file. */
  'distribute.copies-placed': 'letterpress:distribute.copies-placed',
} as const;

export type CommitPoint = keyof typeof commitPoints;

/** What a subscriber is given: a subscriber that holds the run there sets `hold`, and the run goes on once it settles. */
export interface CommitPointMessage {
  point: CommitPoint;
  hold?: Promise<void>;
}

/**
 * Publishes `point` on its `node:diagnostics_channel` channel and waits for
 * whatever hold a subscriber put on it; with no subscriber (every run but a
 * test's), nothing is published and nothing waited for.
 */
export function reached(point: CommitPoint): Promise<void> | undefined {
  const named = channel(commitPoints[point]);
  if (!named.hasSubscribers) return undefined;
  const message: CommitPointMessage = { point };
  named.publish(message);
  return message.hold;
}
