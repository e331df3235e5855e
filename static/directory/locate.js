// "現在地から探す": fills the hidden lat/lon of the search form from the browser's location and submits it.
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) return;
    var form = button.closest("form");
    if (!navigator.geolocation) { button.textContent = "この端末では現在地を使えません"; return; }
    button.textContent = "現在地を取得しています…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(6);
      var near = form.querySelector("[name=near]"); if (near) near.value = "";
      var radius = form.querySelector("[name=radius_m]"); if (radius && !radius.value) radius.value = "1000";
      form.submit();
    }, function () { button.textContent = "現在地を取得できませんでした"; }, { timeout: 10000 });
  });
})();
