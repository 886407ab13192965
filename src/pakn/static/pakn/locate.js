/* "Dùng vị trí hiện tại của tôi" on the submission form (docs/location.md). Progressive enhancement only: the
   button shows when the browser can tell its position; it fills the hidden latitude/longitude/accuracy fields and
   pre-selects the commune through /submit/place. The server checks the position again and resolves the commune
   itself when none is chosen. Sharing is never required. The texts come from the page (data-*), translated. */
(function () {
  "use strict";
  var box = document.getElementById("locate");
  if (!box || !("geolocation" in navigator) || window.isSecureContext === false) { return; }
  var d = box.dataset;
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var acc = document.getElementById("id_location_accuracy_m");
  var button = document.getElementById("locate-button");
  var clear = document.getElementById("locate-clear");
  var status = document.getElementById("locate-status");
  var province = document.getElementById("id_province_code");
  var commune = document.getElementById("id_commune_code");
  if (!lat || !lon || !acc || !button || !clear || !status) { return; }

  function say(text) { status.textContent = text; }
  function done() { return d.done.replace("{accuracy}", acc.value || "?"); }
  function forget() { lat.value = ""; lon.value = ""; acc.value = ""; clear.hidden = true; }

  function choose(place) {
    if (!place || !place.commune_code || !province || !commune) { say(done() + " " + d.nocommune); return; }
    province.value = place.province_code;
    var first = commune.options[0];
    commune.innerHTML = "";
    commune.appendChild(first);
    place.communes.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.code;
      option.textContent = item.name;
      commune.appendChild(option);
    });
    commune.value = place.commune_code;
    var chosen = commune.options[commune.selectedIndex];
    say(done() + " " + d.commune.replace("{name}", chosen ? chosen.textContent : ""));
  }

  function located(position) {
    button.disabled = false;
    lat.value = position.coords.latitude.toFixed(6);
    lon.value = position.coords.longitude.toFixed(6);
    acc.value = String(Math.round(position.coords.accuracy || 0));
    clear.hidden = false;
    say(done());
    var query = "?lat=" + encodeURIComponent(lat.value) + "&lon=" + encodeURIComponent(lon.value) +
      "&accuracy=" + encodeURIComponent(acc.value);
    fetch(d.url + query, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
      .then(function (answer) {
        if (answer.ok) { choose(answer.body); return; }
        // Outside Vietnam, or unreadable: the position is dropped and the server's words say why.
        forget();
        var fields = (answer.body.error && answer.body.error.fields) || {};
        say((fields.location && fields.location[0]) || d.unavailable);
      })
      .catch(function () { say(done() + " " + d.nocommune); });
  }

  function failed(error) {
    button.disabled = false;
    say(error && error.code === 1 ? d.denied : d.unavailable);
  }

  box.hidden = false;
  if (lat.value && lon.value) { clear.hidden = false; say(d.kept); }
  button.addEventListener("click", function () {
    button.disabled = true;
    say(d.busy);
    navigator.geolocation.getCurrentPosition(located, failed, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
  });
  clear.addEventListener("click", function () {
    forget();
    say(d.cleared);
    button.focus();
  });
})();
