/* Progressive enhancement only: the form works without this file. When the province changes, load
   its communes from the API; show the complaint round only for complaints. */
(function () {
  "use strict";
  var province = document.getElementById("id_province_code");
  var commune = document.getElementById("id_commune_code");
  if (province && commune) {
    province.addEventListener("change", function () {
      var code = province.value;
      var first = commune.options[0];
      commune.innerHTML = "";
      commune.appendChild(first);
      if (!code) { return; }
      fetch("/api/v1/provinces/" + encodeURIComponent(code) + "/communes", {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.code;
            option.textContent = item.name;
            commune.appendChild(option);
          });
        })
        .catch(function () { /* keep the empty list; the server validates the choice */ });
    });
  }
  var round = document.getElementById("id_complaint_round");
  var kinds = document.querySelectorAll("input[name=kind]");
  function toggleRound() {
    var checked = document.querySelector("input[name=kind]:checked");
    var group = round && round.closest(".field");
    if (group) { group.hidden = !checked || checked.value !== "complaint"; }
  }
  kinds.forEach(function (k) { k.addEventListener("change", toggleRound); });
  toggleRound();
})();
