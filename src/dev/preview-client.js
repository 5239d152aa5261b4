// The preview page's script (runs in the browser): draws the last good PDF with pdf.js and
// redraws it when the dev server announces a new build, keeping the reader's scroll position.
import * as pdfjs from '/pdfjs/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/pdf.worker.min.mjs';
// One worker for the session: without it, pdf.js starts a new one (and compiles its 1 MB of code) for every build shown.
const worker = new pdfjs.PDFWorker();

const scale = 1.5;
/** The build whose pages are on screen, and whether only those in the window are (the whole letter follows). */
let shown = { version: 0, partial: false };
let drawing = Promise.resolve();

const events = new EventSource('/events');
events.addEventListener('state', (event) => {
  const state = JSON.parse(event.data);
  showProblems(state.problems);
  const newer = state.version > shown.version;
  if (state.pages && newer) {
    shown = { version: state.version, partial: true };
    drawing = drawing.then(() => drawWindow(state.version, state.pages)).catch(failed);
  } else if (!state.pages && (newer || (state.version === shown.version && shown.partial))) {
    shown = { version: state.version, partial: false };
    drawing = drawing.then(() => draw(state.version)).catch(failed);
  }
});

function failed(error) {
  showProblems([{ place: 'preview', reason: String(error) }]);
}

/** The document of the pages on screen, kept open to draw the pages the reader scrolls to; and the watcher that does it. */
let current;

/**
 * Lays out every page of the new PDF off screen, draws the ones in the reader's
 * window, then swaps them in at once and puts the scroll back: the reader stays on
 * their page and never sees a blank one. The other pages are drawn as they come near.
 */
async function draw(version) {
  const data = new Uint8Array(await (await fetch(`/letter.pdf?v=${version}`)).arrayBuffer());
  const pdf = await pdfjs.getDocument({ data, worker }).promise;
  const next = document.createElement('main');
  next.className = 'staging';
  document.body.append(next);
  const sheets = [];
  // Asked for all at once: pdf.js's worker answers them in turn, without a round trip each.
  const pages = await Promise.all(Array.from({ length: pdf.numPages }, (_, i) => pdf.getPage(i + 1)));
  for (const [i, page] of pages.entries()) {
    const n = i + 1;
    const viewport = page.getViewport({ scale });
    const sheet = document.createElement('section');
    sheet.className = 'page';
    sheet.dataset.page = String(n);
    sheet.style.width = `${viewport.width}px`;
    sheet.style.height = `${viewport.height}px`;
    sheet.style.setProperty('--scale-factor', String(scale));
    next.append(sheet);
    sheets.push({ sheet, page, viewport });
  }
  // Only the pages in the window are drawn before the swap; their neighbours follow right after it.
  const top = window.scrollY;
  const bottom = window.scrollY + window.innerHeight;
  const near = (s) => s.sheet.offsetTop < bottom && s.sheet.offsetTop + s.sheet.offsetHeight > top;
  const first = sheets.filter(near);
  for (const s of first) await paint(s, false);
  const { scrollX, scrollY } = window;
  const last = document.getElementById('pages');
  last.replaceWith(next);
  release(last);
  next.id = 'pages';
  next.className = '';
  window.scrollTo(scrollX, scrollY);
  shownAs(version);
  // Their text (selectable, searchable) follows once the new pages are on screen: laying it out before the next frame would hold them back.
  await afterNextFrame();
  for (const s of first) await addText(s);
  document.body.dataset.textVersion = String(version);
  const previous = current;
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        const s = sheets.find((x) => x.sheet === entry.target);
        if (s && !s.painted) void paint(s);
      }
    },
    { rootMargin: '1000px 0px' },
  );
  for (const s of sheets) if (!s.painted) observer.observe(s.sheet);
  current = { pdf, observer };
  previous?.observer.disconnect();
  await previous?.pdf.destroy();
  await early?.destroy();
  early = undefined;
  reportWindow();
}

/** The numbers of the pages in the reader's window. */
function windowPages() {
  const top = window.scrollY;
  const bottom = window.scrollY + window.innerHeight;
  const inside = [...document.querySelectorAll('#pages .page')].filter((s) => s.offsetTop < bottom && s.offsetTop + s.offsetHeight > top).map((s) => Number(s.dataset.page));
  return inside.length > 0 ? { first: Math.min(...inside), last: Math.max(...inside), of: document.querySelectorAll('#pages .page').length } : undefined;
}

let reported = '';
let reportTimer;
/** Tells the server which pages the reader has in their window: the next build prints those first. */
function reportWindow() {
  const pages = windowPages();
  const query = pages ? `first=${pages.first}&last=${pages.last}&of=${pages.of}` : '';
  if (!query || query === reported) return;
  reported = query;
  void fetch(`/viewing?${query}`).catch(() => (reported = ''));
}
window.addEventListener('scroll', () => {
  clearTimeout(reportTimer);
  reportTimer = setTimeout(reportWindow, 100);
});

/** Only the doc of the last pages printed first, kept until the next ones (the observer of the whole letter draws the rest). */
let early;

/**
 * Swaps in the pages of the reader's window as build `version` prints them,
 * before the whole letter is printed: each page drawn off screen, then put in
 * the place of its old one. The other pages stay as they were until the whole
 * letter follows.
 */
async function drawWindow(version, pages) {
  const response = await fetch(`/pages.pdf?v=${version}`);
  // A newer build's pages are on their way, or the letter itself is.
  if (!response.ok || !current) return;
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(await response.arrayBuffer()), worker }).promise;
  const fresh = [];
  for (let n = pages.first; n <= Math.min(pages.last, pages.first + pdf.numPages - 1); n++) {
    const old = document.querySelector(`#pages .page[data-page="${n}"]`);
    if (!old) continue;
    const page = await pdf.getPage(n - pages.first + 1);
    const viewport = page.getViewport({ scale });
    const sheet = old.cloneNode(false);
    sheet.style.width = `${viewport.width}px`;
    sheet.style.height = `${viewport.height}px`;
    const s = { sheet, page, viewport };
    await paint(s, false);
    fresh.push([old, s]);
  }
  const { scrollX, scrollY } = window;
  for (const [old, s] of fresh) {
    old.replaceWith(s.sheet);
    release(old);
  }
  window.scrollTo(scrollX, scrollY);
  shownAs(version);
  document.body.dataset.windowVersion = String(version);
  await afterNextFrame();
  // The server prints the whole letter once these are on screen.
  void fetch(`/shown?v=${version}`).catch(() => undefined);
  for (const [, s] of fresh) await addText(s);
  const previous = early;
  early = pdf;
  await previous?.destroy();
}

/** Draws one page on a canvas, with pdf.js's text layer over it (selectable, searchable text) unless `withText` is false. */
async function paint(s, withText = true) {
  s.painted = true;
  const ratio = window.devicePixelRatio || 1;
  const canvas = canvasOf(Math.floor(s.viewport.width * ratio), Math.floor(s.viewport.height * ratio));
  canvas.style.width = `${s.viewport.width}px`;
  canvas.style.height = `${s.viewport.height}px`;
  const context = canvas.getContext('2d');
  // A canvas drawn on before starts from the default state (a drawing cut short may have left its own).
  context.reset();
  await s.page.render({ canvasContext: context, viewport: s.viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
  s.sheet.append(canvas);
  if (withText) await addText(s);
}

/**
 * Canvases of pages taken off the screen, drawn on again (pdf.js paints every
 * pixel): a new canvas costs its backing store, 4 MB for a page at this scale,
 * which the browser allocates and clears on the first stroke (30 ms of a
 * 100 ms redraw here). A few are kept: the pages of a window.
 */
const spare = [];

function canvasOf(width, height) {
  const i = spare.findIndex((c) => c.width === width && c.height === height);
  if (i >= 0) return spare.splice(i, 1)[0];
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function release(taken) {
  for (const canvas of taken.querySelectorAll('canvas')) {
    canvas.remove();
    spare.push(canvas);
  }
  spare.splice(0, spare.length - 4);
}

async function addText(s) {
  const text = document.createElement('div');
  text.className = 'textLayer';
  s.sheet.append(text);
  await new pdfjs.TextLayer({ textContentSource: s.page.streamTextContent(), container: text, viewport: s.viewport }).render();
}

/**
 * Says which build's pages are on screen (`data-version`), and marks the
 * frame that first shows them (a User Timing mark, `letterpress:shown`,
 * whose detail is the version): what `npm run bench:dev` times an edit to.
 */
function shownAs(version) {
  document.body.dataset.version = String(version);
  requestAnimationFrame(() => performance.mark('letterpress:shown', { detail: version }));
}

/** Resolves once the browser has drawn the next frame: work after it does not hold back what was just swapped in. */
function afterNextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
}

function showProblems(problems) {
  const panel = document.getElementById('problems');
  const list = panel.querySelector('ol');
  list.replaceChildren(
    ...problems.map((p) => {
      const item = document.createElement('li');
      item.textContent = `${p.place} ${p.reason}${p.ruleId ? ` (${p.ruleId})` : ''}`;
      return item;
    }),
  );
  panel.hidden = problems.length === 0;
}
