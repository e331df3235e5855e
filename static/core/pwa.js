// The installable app: registers the service worker (/sw.js, named by this script's data-sw) on every page,
// and removes the drafts kept on this device when the user logs out (a shared phone keeps no one's text).
(function () {
  "use strict";

  var script = document.currentScript;
  var workerUrl = script && script.dataset.sw;
  if (workerUrl && "serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(workerUrl, {scope: "/"}).catch(function () { /* no app features: the site works */ });
    });
  }

  var DRAFT_PREFIX = "renkei-draft:";
  document.addEventListener("submit", function (event) {
    if (!event.target.closest("form[data-clear-drafts]")) { return; }
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(DRAFT_PREFIX) === 0) { window.localStorage.removeItem(key); }
      }
    } catch (e) { /* storage unavailable: nothing kept */ }
  });
})();
