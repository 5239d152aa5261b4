import { stat } from 'node:fs/promises';
import path from 'node:path';
import { watch } from 'chokidar';
import { reporter } from 'vfile-reporter';
import { InterruptedError, LetterpressError } from '../common/errors.ts';
import { startBrowser } from '../chromium/browser.ts';
import { KeptTab } from '../print/print-tab.ts';
import { houseStyleFile } from '../config/load-house-style.ts';
import { projectRoot } from '../common/project-root.ts';
import { buildPreview, type PreviewBuild } from './build-preview.ts';
import { problemsOf } from './preview-state.ts';
import { startPreviewServer } from './preview-server.ts';

export interface DevOptions {
  letterPath: string;
  cwd: string;
  port: number;
  /** `--config FILE`: the house style (default: letterpress.config.yaml in cwd, when there is one). */
  config?: string;
  /** One line per rebuild. */
  log: (line: string) => void;
  /** The letter's messages, as vfile-reporter prints them. */
  report: (text: string) => void;
}

export interface DevSession {
  url: string;
  /** Stops watching, waits for a build under way, closes the server and Chromium. */
  close(): Promise<void>;
}

/** The letter's size and modification time: what tells one save from the next. */
const stamp = (file: string): Promise<string> =>
  stat(file).then(
    (s) => `${s.size}:${s.mtimeMs}`,
    () => 'missing',
  );

/** Pages outside the reader's window from which those in it are printed first. */
const firstLookFrom = 1;

/** How long the whole letter's print waits for the page to show the pages printed first (it would take the CPU they are drawn with). */
const firstLookWaitMs = 300;

/** A short pause after a change, so that an editor's burst of writes (a save of several files, a write then a rename) builds once; a write during a build starts one more after it. */
const settleMs = 5;

/** The session's Chromium, as one process (see BrowserOptions.singleProcess): a save's print starts no process. */
const startPreviewBrowser = () => startBrowser({ singleProcess: true });

/**
 * `letterpress dev`: one warm Chromium, a preview server, and a watcher on the
 * letter, its images and styles/. Builds run one at a time; a change during a
 * build starts one more build after it. A Chromium that stops (a crash, a
 * kill) is started again.
 */
export async function startDev(options: DevOptions): Promise<DevSession> {
  const letter = path.resolve(options.cwd, options.letterPath);
  const shownPath = path.relative(options.cwd, letter);
  let browser = startPreviewBrowser();
  // A Chromium that cannot start fails the command now (exit 3), not every rebuild.
  await browser.use(async () => undefined).catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  const server = await startPreviewServer({ port: options.port, title: path.basename(letter, '.md') }).catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  // The house style is read on every build: an edit restyles the preview, and a mistake in it shows as the letter's do.
  const houseStyle = path.resolve(options.cwd, options.config ?? houseStyleFile);
  // One tab for every print of the session: an edit of the text is swapped into the page already laid out.
  let tab = new KeptTab();
  let version = 0;
  let assets: string[] = [];
  let tocGuess: ReadonlyMap<string, number> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  // What the preview shows was built from the letter as it was then (its stamp), and from the styles and images since their last change.
  let shownStamp: string | undefined;
  let othersChanged = false;
  // The letter's folder is watched rather than the file: a file deleted and written again (`git checkout`, an editor's
  // save by rename) is a new file, which a watch on the old one never sees. Only the letter's events count there.
  const letterFolder = path.dirname(letter);
  const watcher = watch([letterFolder, path.join(projectRoot, 'styles'), houseStyle], {
    ignoreInitial: true,
    ignored: (file) => path.dirname(file) === letterFolder && file !== letter && file !== houseStyle && !assets.includes(file),
  });

  async function rebuild(): Promise<void> {
    const started = performance.now();
    const read = await stamp(letter);
    // One save can reach the watcher as several events (the file truncated, then written): the same letter is not built twice.
    if (read === shownStamp && !othersChanged) return;
    othersChanged = false;
    // The pages in the reader's window are printed and shown first, when the letter has others: Chromium writes only those
    // (it lays the whole letter out either way), and the whole letter is printed once the page has drawn them.
    const seen = version > 0 ? server.viewing() : undefined;
    const inView = seen && seen.of - (seen.last - seen.first + 1) >= firstLookFrom ? seen : undefined;
    const firstLook = inView && {
      pages: `${inView.first}-${inView.last}`,
      show: async (pdf: Uint8Array) => {
        server.publish({ version: version + 1, problems: [], pages: { first: inView.first, last: inView.last } }, pdf);
        options.log(`dev       ${shownPath}: pages ${inView.first}–${inView.last} shown first (${Math.round(performance.now() - started)} ms)`);
        await server.shown(version + 1, firstLookWaitMs);
      },
    };
    const built = await buildInBrowser(firstLook);
    tocGuess = built.tocPages ?? tocGuess;
    const ms = Math.round(performance.now() - started);
    const problems = problemsOf(built.file, built.failure, shownPath);
    if (built.pdf && problems.length === 0) {
      version += 1;
      shownStamp = read;
      server.publish({ version, problems }, built.pdf);
      const stages = Object.entries(built.timings ?? {}).map(([stage, t]) => `${stage} ${Math.round(t ?? 0)}`);
      options.log(`dev       ${shownPath}: built in ${ms} ms (${stages.join(', ')} ms)`);
    } else if ((await stamp(letter)) !== read) {
      // Read while it was being written (a large letter's save takes more than the pause): its problems are not shown, and it is read again.
      options.log(`dev       ${shownPath}: changed while it was read; building it again`);
      again = true;
      return;
    } else {
      shownStamp = read;
      server.publish({ version, problems });
      options.log(`dev       ${shownPath}: does not build (${ms} ms); the preview keeps the last good pages`);
    }
    if (built.failure) options.log(`dev       ${built.failure}`);
    const report = built.file ? reporter([built.file], { quiet: true }) : '';
    if (report) options.report(report);
    const next = built.assets.map((a) => path.resolve(options.cwd, a)).filter((a) => !assets.includes(a));
    if (next.length > 0) watcher.add(next);
    assets = [...assets, ...next];
    // A save whose change event was lost (the watcher drops events that follow each other closely) is still built.
    if ((await stamp(letter)) !== read) again = true;
  }

  /** The letter built with the session's Chromium; started again when it has stopped, and the letter built once more. */
  async function buildInBrowser(firstLook: Parameters<typeof buildPreview>[1]['firstLook']): Promise<PreviewBuild> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await buildPreview(letter, { cwd: options.cwd, config: options.config, browser, tab, tocGuess, firstLook, log: options.log });
      } catch (error) {
        if (await browser.use(async (b) => b.connected)) throw error;
        options.log('dev       Chromium stopped; starting it again');
        const stopped = browser;
        browser = startPreviewBrowser();
        tab = new KeptTab();
        await stopped.close();
        if (attempt === 2) return { failure: 'Chromium stopped twice while printing this letter; the next save tries again', assets: [] };
      }
    }
  }

  function kick(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await rebuild();
      } while (again);
    })().finally(() => (running = undefined));
    // A build that throws is a bug, a Chromium that cannot start again, or Ctrl-C stopping it; the first two are reported and the session goes on with the next change.
    running.catch((error: unknown) => {
      if (error instanceof InterruptedError) return;
      if (error instanceof LetterpressError) options.log(`dev       ${error.message}`);
      else options.log(`dev       internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  }

  watcher.on('all', (_event, file) => {
    if (file !== letter) othersChanged = true;
    clearTimeout(timer);
    timer = setTimeout(kick, settleMs);
  });
  kick();

  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    close: () =>
      (closing ??= (async () => {
        clearTimeout(timer);
        await watcher.close();
        await running?.catch(() => undefined);
        await server.close();
        await tab.close().catch(() => undefined);
        await browser.close();
      })()),
  };
}
