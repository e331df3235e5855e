// The figure picker of the narrative lines: inserts the chosen figure's {key} at the cursor of the text,
// so staff pick 「相談実績（203件）」 from a list and the report fills in the counted value.
(function () {
  var picker = document.querySelector("[data-figure-picker]");
  if (!picker) return;
  var text = document.getElementById(picker.dataset.target);
  var item = document.getElementById(picker.dataset.item);
  var choice = picker.querySelector("select");
  if (!text || !choice || !choice.options.length) return;
  picker.hidden = false;
  picker.querySelector("[data-insert-figure]").addEventListener("click", function () {
    var option = choice.options[choice.selectedIndex];
    var key = "{" + option.value + "}";
    var start = text.selectionStart == null ? text.value.length : text.selectionStart;
    var end = text.selectionEnd == null ? start : text.selectionEnd;
    text.value = text.value.slice(0, start) + key + text.value.slice(end);
    text.focus();
    text.setSelectionRange(start + key.length, start + key.length);
    if (item && !item.value) item.value = option.dataset.item;
  });
})();
