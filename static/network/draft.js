// The post being written survives a reload or a dropped connection: its text is kept on this device
// (localStorage, under the timeline's kind and id only, e.g. "renkei-draft:team:12") while typing, with a
// one-time key made here. The form sends that key as its submission token, so sending the same draft again
// (after an answer that never arrived) creates the post once: the server answers the second time with the
// first post. The draft is forgotten when the page after sending carries the key's tag ("sent-<key>").
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft]");
  if (!form) { return; }
  var body = form.querySelector("textarea[name=body]");
  var token = form.querySelector("input[name=submission_token]");
  if (!body || !token) { return; }
  var key = "renkei-draft:" + form.dataset.draft;

  function read() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(draft) {
    try { window.localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full or off */ }
  }
  function forget() {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }
  function newKey() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function taken(draftKey) {
    var messages = document.querySelectorAll(".messages li");
    for (var i = 0; i < messages.length; i++) {
      if (messages[i].classList.contains("sent-" + draftKey)) { return true; }
    }
    return false;
  }

  var draft = read();
  if (draft && typeof draft.key === "string" && /^[0-9a-f]{36}$/.test(draft.key)) {
    if (taken(draft.key)) {
      forget();
      draft = null;
    } else {
      token.value = draft.key;
      if (!body.value && typeof draft.text === "string" && draft.text) {
        body.value = draft.text;
        var note = form.querySelector(".draft-note");
        if (note) { note.hidden = false; }
        var folded = form.closest("details");
        if (folded) { folded.open = true; }  // the compose box is collapsed until tapped: show the restored text
      }
    }
  } else {
    draft = null;
  }

  body.addEventListener("input", function () {
    if (!body.value.trim()) {
      // An emptied box keeps no draft; its key stays with the form until the page changes.
      forget();
      return;
    }
    if (!draft) {
      draft = {key: newKey()};
      token.value = draft.key;
    }
    draft.text = body.value;
    draft.saved = Date.now();
    write(draft);
  });
})();
