// The preview page of `briefgen serve`: lists the outputs, shows the chosen one, and
// refreshes it when the server's status (server-sent events from /events) says its file
// changed, keeping the scroll position. Nothing here reloads the page itself.
import * as pdfjs from "/static/pdf.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = "/static/pdf.worker.min.mjs";

const $ = (id) => document.getElementById(id);
const PAGES_AT_ONCE = 3; // PDF pages drawn at the same time, after those in view
const state = { status: null, stem: null, view: "html", shown: { key: null, version: null }, token: 0 };

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("stem")) state.stem = params.get("stem");
  if (["html", "pdf", "docx"].includes(params.get("view"))) state.view = params.get("view");
}

function writeHash() {
  const params = new URLSearchParams({ stem: state.stem || "", view: state.view });
  history.replaceState(null, "", "#" + params.toString());
}

// ---------------------------------------------------------------- the list of outputs

// An output without its recipient: brief x audience x language.
const baseKey = (o) => [o.brief, o.audience, o.language].join("|");

function groups(outputs) {
  const byBase = new Map();
  for (const o of outputs) {
    if (!byBase.has(baseKey(o))) byBase.set(baseKey(o), []);
    byBase.get(baseKey(o)).push(o);
  }
  return byBase;
}

function renderList() {
  const outputs = state.status.outputs;
  if (!outputs.some((o) => o.stem === state.stem)) state.stem = outputs.length ? outputs[0].stem : null;
  const byBase = groups(outputs);
  const select = $("output");
  const current = outputs.find((o) => o.stem === state.stem);
  const wanted = current ? baseKey(current) : null;
  const signature = JSON.stringify([...byBase.keys()]);
  if (select.dataset.signature !== signature) {
    select.replaceChildren();
    const byBrief = new Map();
    for (const [key, copies] of byBase) {
      const o = copies[0];
      if (!byBrief.has(o.brief)) {
        const group = document.createElement("optgroup");
        group.label = `${o.brief_title} (${o.brief})`;
        byBrief.set(o.brief, group);
        select.append(group);
      }
      const option = document.createElement("option");
      option.value = key;
      const copiesNote = copies.length > 1 || copies[0].recipient ? ` · ${copies.length} personalised copies` : "";
      option.textContent = `${o.audience_name} (${o.clearance}) · ${o.language}${copiesNote}`;
      byBrief.get(o.brief).append(option);
    }
    select.dataset.signature = signature;
  }
  if (wanted) select.value = wanted;
  const copies = wanted ? byBase.get(wanted) : [];
  const field = $("recipient-field");
  const recipients = $("recipient");
  field.hidden = !(copies.length && copies[0].recipient);
  if (!field.hidden) {
    const recipientSignature = JSON.stringify(copies.map((o) => o.stem));
    if (recipients.dataset.signature !== recipientSignature) {
      recipients.replaceChildren(
        ...copies.map((o) => new Option(`${o.recipient_name || o.recipient} (${o.recipient})`, o.stem)),
      );
      recipients.dataset.signature = recipientSignature;
    }
    recipients.value = state.stem;
  }
}

function currentOutput() {
  return state.status ? state.status.outputs.find((o) => o.stem === state.stem) : null;
}

function renderBadges() {
  const o = currentOutput();
  const clearance = o ? o.clearance : "";
  const badge = $("clearance");
  badge.dataset.clearance = clearance;
  badge.textContent = o ? `${o.audience_name} · ${clearance.toUpperCase()}` : "—";
  badge.title = o ? `Audience ${o.audience}, clearance ${clearance}` : "";
  $("stage").dataset.clearance = clearance;
  const banner = $("confidential");
  banner.hidden = clearance !== "confidential";
  banner.textContent = o
    ? `CONFIDENTIAL PREVIEW — for ${o.audience_name} only. Do not share screenshots of it.`
    : "";
  for (const button of document.querySelectorAll("#views button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  }
  const file = $("file");
  if (o) file.href = `/preview/${encodeURIComponent(o.stem)}.${state.view}`;
  document.title = o ? `${o.stem} — briefgen preview` : "briefgen preview";
}

function renderStatus() {
  const s = state.status;
  const label = $("state");
  const errors = s.errors;
  if (errors.length) {
    label.dataset.state = "errors";
    label.textContent = `${errors.length} error${errors.length > 1 ? "s" : ""}` + (s.building ? " · building…" : "");
  } else if (s.building) {
    label.dataset.state = "building";
    label.textContent = "Building…";
  } else {
    label.dataset.state = "ok";
    label.textContent = `Up to date (rebuild ${s.generation})`;
  }
  $("project").textContent = s.project;
  const panel = $("errors");
  panel.hidden = errors.length === 0;
  $("errors-title").textContent = `${errors.length} error${errors.length > 1 ? "s" : ""}: the preview below is the last good one`;
  $("error-list").replaceChildren(
    ...errors.map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }),
  );
}

// ---------------------------------------------------------------- showing one output

function refresh(force = false) {
  const o = currentOutput();
  if (!o) return;
  const format = state.view;
  const version = o.versions[format];
  const key = `${o.stem}|${format}`;
  if (!force && key === state.shown.key && (version === state.shown.version || version == null)) return;
  state.shown = { key, version };
  $("html-view").hidden = format !== "html";
  $("pdf-view").hidden = format === "html";
  const token = ++state.token;
  const sameOutput = (element) => element && element.dataset.key === key;
  if (format === "html") showHtml(o.stem, key, version, token, sameOutput);
  else showPdf(o.stem, format, key, token, sameOutput);
}

function showHtml(stem, key, version, token) {
  const holder = $("html-view");
  const old = holder.querySelector("iframe:not(.loading)");
  for (const stale of holder.querySelectorAll("iframe.loading")) stale.remove();
  const frame = document.createElement("iframe");
  frame.className = "loading";
  frame.title = `Draft of ${stem}`;
  frame.dataset.key = key;
  frame.src = `/preview/${encodeURIComponent(stem)}.html?v=${encodeURIComponent(version || Date.now())}&report=1`;
  frame.addEventListener("load", () => {
    if (token !== state.token) return frame.remove();
    pageLike(frame.contentDocument);
    // Swap only once the new one has loaded, at the old one's place.
    if (old && old.dataset.key === key && old.contentWindow) {
      frame.contentWindow.scrollTo(old.contentWindow.scrollX, old.contentWindow.scrollY);
    }
    frame.classList.remove("loading");
    for (const other of holder.querySelectorAll("iframe")) if (other !== frame) other.remove();
    showNote(null);
    document.body.dataset.shown = key;
    reportDrawn(stem, "html");
  });
  holder.append(frame);
}

// On screen, the draft sits on a sheet of the page's width (the file itself is unchanged).
function pageLike(doc) {
  if (!doc || !doc.head) return;
  const style = doc.createElement("style");
  style.textContent =
    "@media screen { html { background: #e8e8e8; } body { background: #fff; max-width: 210mm;" +
    " margin: 1rem auto; padding: 15mm 18mm; box-shadow: 0 1px 4px rgb(0 0 0 / 0.3); } }";
  doc.head.append(style);
}

async function showPdf(stem, format, key, token) {
  const view = $("pdf-view");
  const name = format === "docx" ? `${encodeURIComponent(stem)}.docx.pdf` : `${encodeURIComponent(stem)}.pdf`;
  if (format === "docx") showNote("Converting the DOCX with LibreOffice…", true);
  let response;
  try {
    // report=1: this page says when it has drawn it (reportDrawn), so the server waits for that.
    response = await fetch(`/preview/${name}?report=1`, { cache: "no-store" });
  } catch (error) {
    return showNote(`Could not reach the server: ${error}`);
  }
  if (token !== state.token) return;
  if (!response.ok) {
    const text = await response.text();
    reportDrawn(stem, format);
    if (format === "docx") {
      return showNote(text, false, `/preview/${encodeURIComponent(stem)}.docx`);
    }
    return showNote(text);
  }
  const data = new Uint8Array(await response.arrayBuffer());
  if (token !== state.token) return;
  // A hidden tab draws nothing until it is shown (pdf.js draws on animation frames): the
  // server need not wait for it.
  if (document.hidden) reportDrawn(stem, format);
  // One digest per page (writers/pdf_pages.py): a page whose digest is on screen already is
  // copied, not drawn again. The DOCX's view has none: every page is drawn.
  const digests = (response.headers.get("X-Page-Digests") || "").split(" ").filter(Boolean);
  const loading = pdfjs.getDocument({ data, worker: pdfWorker() });
  try {
    await drawPdf(await loading.promise, view, key, token, digests);
  } catch (error) {
    if (token === state.token) showNote(`Could not show the PDF: ${error}`);
  } finally {
    loading.destroy();
    if (token === state.token) reportDrawn(stem, format);
  }
}

// One pdf.js worker thread for every PDF shown: starting one (and parsing its module) for
// each refresh cost about a third of a second before the first page.
let sharedWorker = null;
function pdfWorker() {
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new pdfjs.PDFWorker();
  return sharedWorker;
}

// Every page's box first, at its size, in a hidden copy of the view. Pages the old view shows
// already (same digest, same size) are copied from it; of the others, those the old view
// shows at its scroll position are drawn first, the new view replaces the old one then (no
// blank moment, same place), and the other pages are drawn after, nearest first. After a save
// only the pages the change reached are drawn.
async function drawPdf(documentPdf, view, key, token, digests = []) {
  if (token !== state.token) return;
  for (const stale of view.querySelectorAll(".pages.incoming")) stale.remove();
  const pages = document.createElement("div");
  pages.className = "pages incoming";
  pages.dataset.key = key;
  const width = Math.min(view.clientWidth - 32, 900);
  const sheets = [];
  const numbers = Array.from({ length: documentPdf.numPages }, (_, index) => index + 1);
  const pdfPages = await Promise.all(numbers.map((number) => documentPdf.getPage(number)));
  if (token !== state.token) return;
  for (const [index, page] of pdfPages.entries()) {
    const number = index + 1;
    const unscaled = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: width / unscaled.width });
    const holder = document.createElement("div");
    holder.className = "page";
    holder.dataset.page = String(number);
    holder.style.width = `${viewport.width}px`;
    holder.style.height = `${viewport.height}px`;
    holder.style.setProperty("--scale-factor", String(viewport.scale));
    holder.style.setProperty("--total-scale-factor", String(viewport.scale));
    holder.dataset.size = `${width}x${window.devicePixelRatio || 1}`;
    if (digests.length === documentPdf.numPages) holder.dataset.digest = digests[number - 1];
    pages.append(holder);
    sheets.push({ page, viewport, holder });
  }
  const old = view.querySelector(".pages:not(.incoming)");
  const same = old && old.dataset.key === key;
  const shown = new Map();
  for (const holder of old ? old.querySelectorAll(".page[data-complete][data-digest]") : []) {
    shown.set(`${holder.dataset.digest}|${holder.dataset.size}`, holder);
  }
  const twinOf = ({ holder }) => shown.get(`${holder.dataset.digest}|${holder.dataset.size}`);
  view.append(pages);
  const offset = parseFloat(getComputedStyle(view).paddingTop) || 0;
  // A shorter document than the place kept: its end.
  const last = Math.max(0, 2 * offset + pages.offsetHeight - view.clientHeight);
  const top = same ? Math.min(view.scrollTop, last) : 0;
  const bottom = top + view.clientHeight;
  const distance = ({ holder }) => {
    const start = offset + holder.offsetTop;
    const end = start + holder.offsetHeight;
    return end <= top ? top - end : start >= bottom ? start - bottom : 0;
  };
  const order = sheets.map((sheet) => ({ sheet, distance: distance(sheet) }));
  order.sort((a, b) => a.distance - b.distance || a.sheet.holder.offsetTop - b.sheet.holder.offsetTop);
  const inView = order.filter((o) => o.distance === 0).map((o) => o.sheet);
  // The old view is on screen until the swap: the pages in view it shows already are copied.
  for (const sheet of inView.filter(twinOf)) copyPage(twinOf(sheet), sheet.holder);
  try {
    await Promise.all(inView.filter((sheet) => !twinOf(sheet)).map(drawPage));
  } finally {
    if (token !== state.token) pages.remove();
  }
  if (token !== state.token || !pages.isConnected) return;
  swapIn(view, pages, key, same ? Math.min(view.scrollTop, last) : 0);
  // The other pages it showed take its own pictures, which it no longer shows (no copy, no
  // second canvas in memory); a picture wanted twice (two equal pages) is copied the second time.
  const later = order.filter((o) => o.distance > 0).map((o) => o.sheet);
  const movedTo = new Map();
  for (const sheet of later.filter(twinOf)) {
    const twin = twinOf(sheet);
    if (movedTo.has(twin)) copyPage(movedTo.get(twin), sheet.holder);
    else movedTo.set(twin, movePage(twin, sheet.holder));
  }
  const rest = later.filter((sheet) => !twinOf(sheet));
  // pdf.js prepares a page in its worker thread while this one paints another: a few pages
  // drawn at once keep both busy.
  const drawRest = async () => {
    while (rest.length && token === state.token) await drawPage(rest.shift());
  };
  await Promise.all(Array.from({ length: PAGES_AT_ONCE }, drawRest));
}

async function drawPage({ page, viewport, holder }) {
  const canvas = document.createElement("canvas");
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${viewport.width}px`;
  canvas.style.height = `${viewport.height}px`;
  holder.append(canvas);
  const transform = ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null;
  await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport, transform }).promise;
  holder.dataset.drawn = "true";
  const text = document.createElement("div");
  text.className = "textLayer";
  holder.append(text);
  await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
  holder.dataset.complete = "true"; // picture and text: a later view may copy it (copyPage)
}

// A page of the old view whose digest and size a new page has: its picture copied (copyPage),
// or taken over once the old view is gone (movePage). Either way it is not drawn again.
function copyPage(from, holder) {
  const source = from.querySelector("canvas");
  const canvas = document.createElement("canvas");
  canvas.width = source.width;
  canvas.height = source.height;
  canvas.style.width = source.style.width;
  canvas.style.height = source.style.height;
  canvas.getContext("2d").drawImage(source, 0, 0);
  holder.dataset.copied = "true";
  holder.append(canvas, from.querySelector(".textLayer").cloneNode(true));
  holder.dataset.drawn = "true";
  holder.dataset.complete = "true";
  return holder;
}

function movePage(from, holder) {
  holder.dataset.copied = "true";
  holder.append(...from.children);
  holder.dataset.drawn = "true";
  holder.dataset.complete = "true";
  return holder;
}

function swapIn(view, pages, key, top) {
  for (const other of view.querySelectorAll(".pages")) if (other !== pages) other.remove();
  pages.classList.remove("incoming");
  view.scrollTop = top;
  showNote(null);
  document.body.dataset.shown = key;
}

// The server holds back work nobody waits for until the page has drawn what it fetched, so
// that drawing does not compete with it for the processor (serve/previews.py).
function reportDrawn(stem, format) {
  fetch(`/drawn/${encodeURIComponent(stem)}.${format}`, { method: "POST", cache: "no-store" }).catch(() => {});
}

function showNote(text, busy = false, download = null) {
  const note = $("note");
  note.hidden = !text;
  note.replaceChildren();
  if (!text) return;
  note.append(text);
  note.dataset.busy = String(busy);
  if (download) {
    const link = document.createElement("a");
    link.href = download;
    link.textContent = " Download the DOCX.";
    note.append(link);
  }
}

// ---------------------------------------------------------------- wiring

function onStatus(status) {
  state.status = status;
  renderList();
  renderBadges();
  renderStatus();
  writeHash();
  refresh();
  document.body.dataset.generation = String(status.generation);
}

function choose(stem, view) {
  if (stem) state.stem = stem;
  if (view) state.view = view;
  writeHash();
  renderList();
  renderBadges();
  refresh(true);
}

$("output").addEventListener("change", (event) => {
  const copies = groups(state.status.outputs).get(event.target.value);
  choose(copies[0].stem);
});
$("recipient").addEventListener("change", (event) => choose(event.target.value));
for (const button of document.querySelectorAll("#views button")) {
  button.addEventListener("click", () => choose(null, button.dataset.view));
}

readHash();
const events = new EventSource("/events");
events.addEventListener("status", (event) => onStatus(JSON.parse(event.data)));
events.addEventListener("error", () => {
  $("state").dataset.state = "errors";
  $("state").textContent = "Disconnected: is briefgen serve still running?";
});
