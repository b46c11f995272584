// The field forms in the browser (/forms, /forms/{id}): ODK Web Forms renders the XForm;
// each submission is kept in this browser (IndexedDB, keyed by its instanceID) until the
// server has answered, then posted to /openrosa/submission with the session cookie. What
// could not be sent (no connection, server down) is sent again when the browser comes
// back online, every minute, or on "Send now"; the server keeps a submission once per
// instanceID, so sending twice is harmless.

const words = JSON.parse(document.getElementById("words").textContent);
const SUBMISSION_URL = "/openrosa/submission";
const KEEP_SENT = 20;
// The signed-in user: a browser shared by several keeps each one's reports apart, and
// sends only the reports of whoever is signed in (the server records the submitter).
const USER = document.getElementById("outbox")?.dataset.user ?? "";

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

// --- the outbox: IndexedDB ------------------------------------------------------------

function openOutbox() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("demine-field-forms", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("reports", { keyPath: "instanceID" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

const outbox = openOutbox();

async function transaction(mode, work) {
  const db = await outbox;
  return new Promise((resolve, reject) => {
    const tx = db.transaction("reports", mode);
    const result = work(tx.objectStore("reports"));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
  });
}

const putReport = (report) => transaction("readwrite", (store) => store.put(report));
const everyReport = () => transaction("readonly", (store) => store.getAll());
const allReports = async () => (await everyReport()).filter((report) => report.user === USER);
const deleteReport = (id) => transaction("readwrite", (store) => store.delete(id));

// --- sending --------------------------------------------------------------------------

function instanceIdOf(xml) {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const node = doc.getElementsByTagNameNS("*", "instanceID")[0];
  return node ? node.textContent.trim() : "";
}

function openRosaMessage(text) {
  const doc = new DOMParser().parseFromString(text, "text/xml");
  const node = doc.getElementsByTagNameNS("*", "message")[0];
  return node ? node.textContent.trim() : text.slice(0, 200);
}

// One report sent: {outcome, message}. Outcomes: "sent" (201, or 202: received before);
// "login" (401: no session) and "forbidden" (403: the session ended, or the account may
// not send it), kept to be sent again; "refused" (any other 4xx: the report itself),
// kept aside, not sent again; "unreachable" (no answer, or 5xx), sent again later.
async function send(report) {
  const body = new FormData();
  body.append("xml_submission_file", new Blob([report.xml], { type: "text/xml" }), "submission.xml");
  for (const file of report.files || []) body.append(file.name, file.blob, file.name);
  let response;
  try {
    response = await fetch(SUBMISSION_URL, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-OpenRosa-Version": "1.0" },
    });
  } catch (error) {
    return { outcome: "unreachable", message: String(error) };
  }
  const message = openRosaMessage(await response.text());
  if (response.status === 201 || response.status === 202) return { outcome: "sent", message };
  if (response.status === 401) return { outcome: "login", message };
  if (response.status === 403) return { outcome: "forbidden", message };
  if (response.status >= 500) return { outcome: "unreachable", message };
  return { outcome: "refused", message };
}

let sending = null;

// Send every report waiting (one at a time; a second call waits for the first).
function sendWaiting() {
  if (sending === null) {
    sending = sendAll().finally(() => {
      sending = null;
    });
  }
  return sending;
}

async function sendAll() {
  const reports = await allReports();
  let last = null;
  for (const report of reports.filter((r) => r.state === "waiting")) {
    last = await deliver(report);
    if (last.outcome !== "sent" && last.outcome !== "refused") break;
  }
  await showOutbox();
  return last;
}

async function deliver(report) {
  const result = await send(report);
  if (result.outcome === "sent") {
    report.state = "sent";
    report.sentAt = new Date().toISOString();
    report.answer = result.message;
    report.problem = "";
  } else {
    if (result.outcome === "refused") report.state = "refused";
    report.problem = problemWords(result);
  }
  await putReport(report);
  await forgetOldSent();
  return result;
}

function problemWords(result) {
  const template = { refused: words.refused, forbidden: words.refused, login: words.login }[result.outcome];
  return say(template ?? words.queued, result);
}

async function forgetOldSent() {
  const sent = (await allReports())
    .filter((r) => r.state === "sent")
    .sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  for (const old of sent.slice(KEEP_SENT)) await deleteReport(old.instanceID);
}

// --- the outbox on the page -----------------------------------------------------------

function time(iso) {
  return new Date(iso).toLocaleString(document.documentElement.lang);
}

function item(report, label, buttons) {
  const li = document.createElement("li");
  li.dataset.instance = report.instanceID;
  li.dataset.form = report.formId;
  const title = document.createElement("b");
  title.textContent = report.title;
  li.append(title, " ", label);
  const note = report.state === "sent" ? report.answer : report.problem;
  if (note) {
    const span = document.createElement("span");
    span.className = "problem";
    span.textContent = ` — ${note}`;
    li.append(span);
  }
  for (const [text, className, action] of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = text;
    button.addEventListener("click", action);
    li.append(" ", button);
  }
  return li;
}

async function showOutbox() {
  const section = document.getElementById("outbox");
  if (!section) return;
  const reports = await allReports();
  // Waiting, and refused by the server (shown with the reason, until discarded).
  const waiting = reports.filter((r) => r.state !== "sent").sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  const sent = reports.filter((r) => r.state === "sent").sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  const waitingList = section.querySelector("ul.waiting");
  waitingList.replaceChildren(
    ...waiting.map((report) =>
      item(report, say(words.savedAt, { time: time(report.savedAt) }), [
        [words.discard, "discard", async () => {
          if (window.confirm(words.discardConfirm)) {
            await deleteReport(report.instanceID);
            await showOutbox();
          }
        }],
      ]),
    ),
  );
  if (!waiting.length) waitingList.replaceChildren(note(words.nothingWaiting));
  const sentList = section.querySelector("ul.sent");
  sentList.replaceChildren(
    ...sent.map((report) =>
      item(report, say(words.sentAt, { time: time(report.sentAt) }), [
        [words.sendAgain, "send-again", async () => {
          const result = await send(report);
          report.answer = result.outcome === "sent" ? result.message : problemWords(result);
          await putReport(report);
          await showOutbox();
          status(report.answer);
        }],
      ]),
    ),
  );
  if (!sent.length) sentList.replaceChildren(note(words.nothingSent));
  section.querySelector("#send-now").hidden = !waiting.some((r) => r.state === "waiting");
  const offline = section.querySelector(".offline-note");
  offline.textContent = words.offline;
  offline.hidden = navigator.onLine;
}

function note(text) {
  const li = document.createElement("li");
  li.className = "note";
  li.textContent = text;
  return li;
}

function status(text) {
  const line = document.getElementById("form-status");
  if (!line) return;
  line.textContent = text;
  line.hidden = !text;
  if (text) line.scrollIntoView({ block: "nearest" });
}

// --- the form -------------------------------------------------------------------------

async function fileEntries(data) {
  const files = [];
  for (const [name, value] of data.entries()) {
    if (name !== "xml_submission_file" && value instanceof Blob) {
      files.push({ name, blob: value });
    }
  }
  return files;
}

async function submitted(form, payload) {
  const data = payload.data[0];
  const xml = await data.get("xml_submission_file").text();
  const report = {
    instanceID: instanceIdOf(xml) || `uuid:${crypto.randomUUID()}`,
    formId: form.id,
    title: form.title,
    user: USER,
    xml,
    files: await fileEntries(data),
    state: "waiting",
    savedAt: new Date().toISOString(),
    problem: "",
  };
  try {
    await putReport(report);
  } catch (error) {
    status(words.noStorage);
    return false;
  }
  status(words.sending);
  const result = await deliver(report);
  await showOutbox();
  if (result.outcome === "sent") status(say(words.sent, result));
  else if (result.outcome === "unreachable") status(words.queued);
  else status(report.problem);
  // Kept (sent or waiting in this browser): the form starts again, empty.
  return result.outcome !== "refused";
}

// The form opens in the page's language when it has it (Demine's forms carry English,
// Azerbaijani and Russian labels, "Name (code)"); ODK Web Forms' menu still switches.
function inPageLanguage(xml) {
  const lang = document.documentElement.lang;
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const translations = [...doc.getElementsByTagNameNS("*", "translation")];
  const chosen = translations.find((t) => (t.getAttribute("lang") || "").endsWith(`(${lang})`));
  if (!chosen || chosen.getAttribute("default")) return xml;
  for (const translation of translations) translation.removeAttribute("default");
  chosen.setAttribute("default", "true()");
  return new XMLSerializer().serializeToString(doc);
}

async function loadForm(form) {
  const element = document.getElementById("odk-form");
  try {
    const [{ mount }, response] = await Promise.all([
      import("/static/vendor/odk-web-forms/odk-web-forms.js"),
      fetchKept(form.xml),
    ]);
    if (!response.ok) throw new Error(`${response.status} ${openRosaMessage(await response.text())}`);
    const formXml = inPageLanguage(await response.text());
    mount(element, {
      formXml,
      fetchFormAttachment: (url) => {
        const name = String(url).split("/").pop();
        return fetchKept(form.media + encodeURIComponent(name));
      },
      onSubmit: (payload) => submitted(form, payload),
    });
    element.dataset.ready = "true";
  } catch (error) {
    status(say(words.loadFailed, { message: String(error.message || error) }));
  }
}

// --- start ----------------------------------------------------------------------------

document.getElementById("send-now")?.addEventListener("click", () => sendWaiting());
window.addEventListener("online", () => sendWaiting());
window.addEventListener("offline", () => showOutbox());
setInterval(() => {
  if (navigator.onLine) sendWaiting();
}, 60000);

// The service worker (/forms/offline.js) keeps what passes through it once it runs; what
// this first visit loaded before it did is put in its cache here, so that the page opens
// offline from the next visit on. Same cache name as the worker's.
const CACHE = "demine-field-forms-v1";
const BUNDLE = "/static/vendor/odk-web-forms/";
const PAGE_FILES = [
  "/forms", "/static/demine.css", "/static/demine-fieldforms.js", `${BUNDLE}odk-web-forms.js`,
  `${BUNDLE}odk-web-forms-index.js`, `${BUNDLE}odk-web-forms-MapBlock.js`,
];

function keep(url, response) {
  if (response.ok && "caches" in window) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(url, copy)).catch(() => {});
  }
  return response;
}

// Fetch through the network, keeping a copy; the copy when the network fails.
async function fetchKept(url) {
  try {
    return keep(url, await fetch(url, { credentials: "same-origin" }));
  } catch (error) {
    const hit = "caches" in window ? await caches.match(url) : undefined;
    if (hit) return hit;
    throw error;
  }
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker
    .register("/forms/offline.js", { scope: "/forms" })
    .then(() => caches.open(CACHE))
    .then((cache) => cache.addAll([...new Set([...PAGE_FILES, location.pathname])]))
    .catch(() => {});
}

const config = document.getElementById("field-form");
if (config) loadForm(JSON.parse(config.textContent));
showOutbox().then(() => {
  if (navigator.onLine) sendWaiting();
});
