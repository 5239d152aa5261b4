// The preview page's script (runs in the browser): draws the last good PDF with pdf.js and
// redraws it when the dev server announces a new build, keeping the reader's scroll position.
import * as pdfjs from '/pdfjs/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/pdf.worker.min.mjs';

const scale = 1.5;
let shown = 0;
let drawing = Promise.resolve();

const events = new EventSource('/events');
events.addEventListener('state', (event) => {
  const state = JSON.parse(event.data);
  showProblems(state.problems);
  if (state.version > shown) {
    shown = state.version;
    drawing = drawing.then(() => draw(state.version)).catch((error) => showProblems([{ place: 'preview', reason: String(error) }]));
  }
});

/** Draws every page off screen, then swaps them in at once and puts the scroll back where the reader was. */
async function draw(version) {
  const data = new Uint8Array(await (await fetch(`/letter.pdf?v=${version}`)).arrayBuffer());
  const pdf = await pdfjs.getDocument({ data }).promise;
  const next = document.createElement('main');
  next.id = 'pages';
  const ratio = window.devicePixelRatio || 1;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const viewport = page.getViewport({ scale });
    const sheet = document.createElement('section');
    sheet.className = 'page';
    sheet.dataset.page = String(n);
    sheet.style.width = `${viewport.width}px`;
    sheet.style.height = `${viewport.height}px`;
    sheet.style.setProperty('--scale-factor', String(scale));
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${viewport.width}px`;
    canvas.style.height = `${viewport.height}px`;
    await page.render({ canvasContext: canvas.getContext('2d'), viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
    const text = document.createElement('div');
    text.className = 'textLayer';
    sheet.append(canvas, text);
    next.append(sheet);
    await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
  }
  const { scrollX, scrollY } = window;
  document.getElementById('pages').replaceWith(next);
  window.scrollTo(scrollX, scrollY);
  document.body.dataset.version = String(version);
  await pdf.destroy();
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
