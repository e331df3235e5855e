// 「現在地の近くを探す」: fills the hidden lat/lon of the search form from the browser's location and submits it.
// Typing a place into 「近く」 clears them, so that the typed place is searched rather than the old location.
(function () {
  function say(form, text) {
    var status = form.querySelector("[data-locate-status]");
    if (status) status.textContent = text;
  }
  document.addEventListener("input", function (event) {
    if (event.target.name !== "near") return;
    var form = event.target.form;
    ["lat", "lon"].forEach(function (name) { var f = form.querySelector("[name=" + name + "]"); if (f) f.value = ""; });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) return;
    var form = button.closest("form");
    if (!navigator.geolocation) { say(form, "この端末・ブラウザでは現在地を使えません。駅名や町名を入力してください。"); return; }
    say(form, "現在地を確認しています…");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(6);
      var near = form.querySelector("[name=near]"); if (near) near.value = "";
      var radius = form.querySelector("[name=radius_m]"); if (radius && !radius.value) radius.value = "1000";
      form.submit();
    }, function () {
      say(form, "現在地を確認できませんでした（位置情報の利用が許可されていない可能性があります）。駅名や町名を入力してください。");
    }, { timeout: 10000 });
  });
})();
