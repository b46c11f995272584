// Service worker of the field forms (/forms): keeps the pages, their scripts (ODK Web
// Forms' bundle included) and the XForms they loaded, so a form opened once opens again
// without a connection. Network first (a changed form version is always taken when the
// server answers); the cache only when it does not. Submissions (POST) are never cached:
// the page keeps them in IndexedDB itself.
const CACHE = "demine-field-forms-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function kept(url) {
  return (
    url.origin === self.location.origin &&
    (url.pathname === "/forms" ||
      url.pathname.startsWith("/forms/") ||
      url.pathname.startsWith("/static/") ||
      url.pathname.startsWith("/openrosa/forms/"))
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !kept(new URL(request.url))) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((hit) => hit || Response.error())),
  );
});
