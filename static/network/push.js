// 通知設定: turn Web Push on or off for this browser. The subscription (endpoint and keys, no personal data)
// is sent to the server with the page's CSRF token; the service worker (/sw.js) shows the pushes.
(function () {
  "use strict";

  var box = document.getElementById("push-device");
  if (!box) { return; }
  var status = document.getElementById("push-status");
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");

  function say(text) { status.textContent = text; }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()}
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) { throw new Error(answer.detail || "送信できませんでした。"); }
        return answer;
      });
    });
  }

  function keyBytes(base64url) {
    var text = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("このブラウザはプッシュ通知に対応していません。お知らせ（ベル）でご確認ください。");
    return;
  }

  function registration() { return navigator.serviceWorker.ready; }

  registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
    if (subscription) {
      // Renew the registration on each visit (the browser may have changed its keys, or another user signed out).
      return post(box.dataset.subscribeUrl, subscription.toJSON()).then(function () {
        say("この端末で通知を受け取っています。");
        show(true);
      });
    }
    say(Notification.permission === "denied"
      ? "このブラウザでは通知が拒否されています。ブラウザの設定で許可してください。"
      : "この端末ではまだ通知を受け取っていません。");
    show(false);
  }).catch(function (error) { say(error.message); show(false); });

  on.addEventListener("click", function () {
    on.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("通知が許可されませんでした。"); }
      return registration();
    }).then(function (reg) {
      return reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.pushKey)});
    }).then(function (subscription) {
      return post(box.dataset.subscribeUrl, subscription.toJSON());
    }).then(function () {
      say("この端末で通知を受け取ります。");
      show(true);
    }).catch(function (error) { say(error.message); }).then(function () { on.disabled = false; });
  });

  off.addEventListener("click", function () {
    off.disabled = true;
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
      if (!subscription) { return null; }
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post(box.dataset.unsubscribeUrl, {endpoint: endpoint}).catch(function () { return null; });
      });
    }).then(function () {
      say("この端末の通知を止めました。");
      show(false);
    }).catch(function (error) { say(error.message); }).then(function () { off.disabled = false; });
  });
})();
