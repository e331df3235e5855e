// Renkei's service worker, served at /sw.js straight from this folder by WhiteNoise (WHITENOISE_ROOT): its scope
// is the whole site, and fetching it (the browser checks it on navigations) touches neither session nor database.
// Push: a notification with generic text only (no patient data ever reaches the phone); a tap opens the
// notifications page, whose content needs a login. Cache: static files only. Pages, the API and files are
// personal (Cache-Control: no-store) and are never intercepted or kept here.
"use strict";

// Bump the version to drop every kept copy at the next visit.
var CACHE = "renkei-static-v1";
var STATIC_PREFIX = "/static/";
var NOTIFICATIONS_URL = "/network/notifications/";
var ICON = "/static/core/icon-192.png";
var TITLE = "Renkei";
var BODY = "新しい連絡があります";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () { return self.clients.claim(); }));
});

function isStatic(request) {
  var url = new URL(request.url);
  return request.method === "GET" && url.origin === self.location.origin && url.pathname.indexOf(STATIC_PREFIX) === 0;
}

// Static files: from the network as without a worker, a copy kept for when the phone is offline. Anything
// else (pages, the API, files) is not touched at all.
self.addEventListener("fetch", function (event) {
  if (!isStatic(event.request)) { return; }
  event.respondWith(fetch(event.request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(event.request, copy); }));
    }
    return response;
  }).catch(function () {
    return caches.match(event.request).then(function (kept) { return kept || Response.error(); });
  }));
});

function localPath(value) {
  return typeof value === "string" && value.charAt(0) === "/" && value.charAt(1) !== "/" ? value : NOTIFICATIONS_URL;
}

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  // The text is always this one line, whatever a payload might say.
  event.waitUntil(self.registration.showNotification(TITLE, {
    body: BODY, icon: ICON, badge: ICON, tag: "renkei", renotify: true, lang: "ja", data: {url: localPath(data.url)}
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL(localPath(event.notification.data && event.notification.data.url), self.location.origin).href;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target && "focus" in windows[i]) { return windows[i].focus(); }
    }
    return self.clients.openWindow(target);
  }));
});
