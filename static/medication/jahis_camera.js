// お薬手帳の QR コードをカメラで読み取る（ブラウザーの BarcodeDetector があるときだけ）。
// 読み取った文字列を「読み取った文字列」欄に入れて送信し、サーバーが JAHIS 形式として読む。
// BarcodeDetector のないブラウザーでは何もせず、写真のアップロード（サーバー側で読み取り）を使う。
(function () {
  "use strict";
  var box = document.getElementById("jahis-camera");
  var form = document.getElementById("jahis-form");
  if (!box || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var start = document.getElementById("jahis-camera-start");
  var video = document.getElementById("jahis-video");
  var status = document.getElementById("jahis-camera-status");
  var parts = {};  // key → text: "id:index" for a split code (911 record), the text itself otherwise
  var stream = null;

  // 分割制御レコード（2行目の「911,データID,総分割数,分割番号」）を読む。なければ null。
  function split(text) {
    var lines = text.split(/\r\n|\r|\n/);
    var fields = (lines[1] || "").split(",");
    if (fields[0] !== "911" || fields.length < 4) { return null; }
    return { id: fields[1], total: parseInt(fields[2], 10), index: parseInt(fields[3], 10) };
  }

  function complete() {
    var totals = {}, seen = {}, key, info, id;
    for (key in parts) {
      info = split(parts[key]);
      if (!info) { continue; }
      totals[info.id] = info.total;
      seen[info.id] = (seen[info.id] || 0) + 1;
    }
    for (id in totals) {
      if (seen[id] < totals[id]) { return "QR コードを " + seen[id] + " / " + totals[id] + " 枚読み取りました。続けて次の QR コードを写してください。"; }
    }
    return "";
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
  }

  function submit() {
    stop();
    var keys = Object.keys(parts);
    form.querySelector("[name=text]").value = keys.map(function (k) { return parts[k]; }).join("\r\n");
    var source = form.querySelector("[name=source]");
    if (source) { source.value = "camera"; }
    status.textContent = "読み取りました。登録しています…";
    form.submit();
  }

  function scan(detector) {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      codes.forEach(function (code) {
        var info = split(code.rawValue || "");
        if (!/^JAHISTC/.test(code.rawValue || "")) { return; }
        parts[info ? info.id + ":" + info.index : code.rawValue] = code.rawValue;
      });
      if (Object.keys(parts).length) {
        var waiting = complete();
        if (!waiting) { submit(); return; }
        status.textContent = waiting;
      }
      window.setTimeout(function () { scan(detector); }, 250);
    }).catch(function () { window.setTimeout(function () { scan(detector); }, 500); });
  }

  box.hidden = false;
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      status.textContent = "お薬手帳の QR コードを枠の中に写してください。";
      video.play().then(function () { scan(detector); });
    }).catch(function () {
      status.textContent = "カメラを使えません。QR コードを撮った写真を下から選んでください。";
    });
  });
})();
