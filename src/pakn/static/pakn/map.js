/* Staff maps (docs/location.md): over each server-drawn map that names its tiles (figure.map[data-tiles]), a
   Leaflet map with the same points, zoomable. Tiles come from PAKN_MAP_TILE_URL or, by default, from the small
   tile set in our static files (zoom 5-8). Without JavaScript, or without Leaflet, the SVG map stays, and the
   table under it lists the same cases. */
(function () {
  "use strict";
  var L = window.L;
  if (!L) { return; }
  function number(value) { var n = parseFloat(value); return isFinite(n) ? n : null; }

  document.querySelectorAll("figure.map[data-tiles]").forEach(function (figure) {
    var svg = figure.querySelector("svg");
    var d = figure.dataset;
    var minZoom = parseInt(d.minZoom, 10) || 5;
    var maxZoom = parseInt(d.maxZoom, 10) || 8;
    var box = document.createElement("div");
    box.className = "map-tiles" + (figure.classList.contains("small") ? " small" : "");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", d.zoomLabel || "");
    figure.insertBefore(box, svg);

    var options = {minZoom: minZoom, maxZoom: maxZoom, zoomSnap: 1};
    var bounds = null;
    if (d.bounds) {
      var b = d.bounds.split(",").map(number);
      bounds = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
      options.maxBounds = bounds.pad(0.05);
    }
    var map = L.map(box, options);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var layer = {minZoom: minZoom, maxZoom: maxZoom, attribution: d.attribution || ""};
    if (bounds) { layer.bounds = bounds; }
    L.tileLayer(d.tiles, layer).addTo(map);

    var points = [];
    svg.querySelectorAll("a[data-lat]").forEach(function (anchor) {
      var lat = number(anchor.getAttribute("data-lat"));
      var lon = number(anchor.getAttribute("data-lon"));
      if (lat === null || lon === null) { return; }
      var label = anchor.getAttribute("aria-label") || "";
      var link = document.createElement("a");
      link.href = anchor.getAttribute("href");
      link.textContent = label;
      var here = !!anchor.querySelector(".pt-here");
      L.circleMarker([lat, lon], {
        radius: 7, color: here ? "#0b0c0c" : "#ffffff", weight: 2, fillColor: anchor.querySelector(".pt-petition") ? "#0b4f9c" : "#a50e0e", fillOpacity: 1
      }).bindTooltip(label).bindPopup(link).addTo(map);
      points.push([lat, lon]);
    });
    if (d.packaged) {
      // The packaged tiles carry no names: the archipelagos are named on the map, as on the SVG.
      svg.querySelectorAll("text[data-lat]").forEach(function (text) {
        L.tooltip({permanent: true, direction: "center", className: "map-label"})
          .setLatLng([number(text.getAttribute("data-lat")), number(text.getAttribute("data-lon"))])
          .setContent(text.textContent).addTo(map);
      });
    }
    if (points.length === 1) {
      // Packaged tiles show the coast and borders: one step out, for the province around the point.
      map.setView(points[0], d.packaged ? maxZoom - 1 : Math.min(maxZoom, 16));
    } else if (points.length) {
      map.fitBounds(L.latLngBounds(points).pad(0.2), {maxZoom: Math.min(maxZoom, 15)});
    } else {
      map.fitBounds(bounds || L.latLngBounds([6.8, 101.8], [23.6, 117.8]));
    }
    L.control.scale({imperial: false}).addTo(map);
    figure.classList.add("tiled");  // the SVG gives way to the tile map (map.css)
  });
})();
