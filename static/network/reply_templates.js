// One tap on a reply template (「定型文」) puts its text into the reply box next to it (added after any text
// already typed), so a physician answers with one tap and a send.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reply-template]");
    if (!button) { return; }
    var box = button.closest("form").querySelector("textarea[name=body]");
    if (!box) { return; }
    var text = button.getAttribute("data-reply-template");
    box.value = box.value.trim() ? box.value.replace(/\s+$/, "") + "\n" + text : text;
    box.focus();
  });
}());
