// The directory map: Leaflet (local copy) with clustered markers coloured by kind; the list below stays usable.
(function () {
  var el = document.getElementById("dir-map");
  var status = document.getElementById("dir-map-status");
  if (!el || typeof L === "undefined") { if (status) status.textContent = "地図を表示できません。一覧をご覧ください。"; return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([35.7106, 139.5660], 14);
  var tiles = L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 });
  var tileNote = "";
  tiles.on("tileerror", function () {
    if (tileNote || !status) return;
    tileNote = "地図の画像を読み込めませんでした。マーカーと下の一覧はお使いいただけます。";
    status.textContent = (status.textContent ? status.textContent + " " : "") + tileNote;
  });
  tiles.addTo(map);
  if (el.dataset.lat) {
    var centre = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    L.circle(centre, { radius: parseFloat(el.dataset.radius), color: "#0b5cad", weight: 1, fillOpacity: 0.05 }).addTo(map);
    L.circleMarker(centre, { radius: 6, color: "#0b5cad" }).addTo(map).bindTooltip("検索の中心");
  }
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  fetch(el.dataset.points, { headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      data.items.forEach(function (p) {
        // The marker is built through the DOM: the Content-Security-Policy refuses style= attributes in HTML.
        var dot = document.createElement("div");
        dot.className = "dir-marker";
        dot.style.backgroundColor = p.colour;
        var icon = L.divIcon({ className: "", html: dot, iconSize: [18, 18] });
        var label = escapeHtml(p.name) + (p.fictional ? " <span class=\"badge fictional\">架空（デモ用）</span>" : "");
        L.marker([p.lat, p.lon], { icon: icon, title: p.name })
          .bindPopup('<strong><a href="' + p.url + '">' + label + "</a></strong><br>" + escapeHtml(p.kind_label) + "<br>" + escapeHtml(p.address))
          .addTo(cluster);
      });
      map.addLayer(cluster);
      if (data.items.length && !el.dataset.lat) map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 16 });
      else if (el.dataset.lat && data.items.length) map.fitBounds(cluster.getBounds().extend(centre), { padding: [20, 20], maxZoom: 16 });
      if (status) status.textContent = "地図に " + data.count + " 件を表示しています。" + (tileNote ? " " + tileNote : "");
    })
    .catch(function () { if (status) status.textContent = "地図のデータを読み込めませんでした。下の一覧をご覧ください。"; });
})();
