/* The facility map: Natural Earth borders and facility markers, no tile server, no network
   beyond this Ridni server. Data comes from the JSON endpoints named in data-* attributes; the
   words of Leaflet's own controls too, translated by the page (the vendored Leaflet is English). */
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return response.json();
      });
  }

  function start() {
    var element = document.getElementById("facility-map");
    if (!element || !window.L) { return; }
    var words = element.dataset;
    var map = L.map(element, {
      minZoom: 2, maxZoom: 12, worldCopyJump: true, preferCanvas: false, zoomControl: false
    }).setView([51, 45], 4);
    L.control.zoom({
      zoomInTitle: words.zoomIn || "Zoom in",
      zoomOutTitle: words.zoomOut || "Zoom out"
    }).addTo(map);
    // The credit keeps Leaflet's link; its tooltip is in the page's language (built as DOM,
    // so the translated text is escaped like any other).
    var credit = document.createElement("a");
    credit.href = "https://leafletjs.com";
    credit.title = words.leafletTitle || "A JavaScript library for interactive maps";
    credit.textContent = "Leaflet";
    map.attributionControl.setPrefix(credit.outerHTML);
    map.attributionControl.addAttribution("Natural Earth");
    getJSON(element.dataset.borders).then(function (borders) {
      L.geoJSON(borders, {
        interactive: false,
        style: function (feature) {
          var code = feature.properties.code;
          return {
            className: "border border-" + (code === "UA" ? "ua" : (code === "RU" || code === "BY") ? "ru-by" : "other"),
            weight: 1
          };
        }
      }).addTo(map).bringToBack();
    });

    var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    map.addLayer(clusters);
    var form = document.getElementById("map-filters");
    var count = document.getElementById("map-count");

    function marker(feature, latlng) {
      var p = feature.properties;
      var icon = L.divIcon({
        className: "facility-marker kind-" + p.kind,
        html: "",
        iconSize: [14, 14]
      });
      var m = L.marker(latlng, { icon: icon, title: p.name, alt: p.name, keyboard: true });
      m.on("click", function () { window.location.href = p.url; });
      return m;
    }

    function load() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) { if (value) { params.append(key, value); } });
      var url = element.dataset.facilities + (params.toString() ? "?" + params.toString() : "");
      getJSON(url).then(function (data) {
        clusters.clearLayers();
        clusters.addLayer(L.geoJSON(data, { pointToLayer: marker }));
        count.textContent = count.dataset.template
          ? count.dataset.template.replace("%s", data.features.length)
          : String(data.features.length);
        element.dataset.markers = String(data.features.length);
      });
    }

    form.addEventListener("change", load);
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
    load();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
