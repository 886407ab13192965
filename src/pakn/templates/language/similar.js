// Similar open cases while a citizen types (FixMyStreet-style). No data is sent until there is a place
// and a few words; the list shows no identity and no tracking code. Works without it: the form is plain HTML.
(function () {
  "use strict";
  var box = document.getElementById("similar-box");
  var form = box && box.closest("form");
  if (!form) { return; }
  var joined = document.getElementById("id_duplicate_of");
  var field = function (name) { return form.querySelector("[name='" + name + "']"); };
  var timer = null;
  var last = "";

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function render(data) {
    box.textContent = "";
    if (!data.results || !data.results.length) { box.hidden = true; return; }
    box.appendChild(text("h2", box.dataset.title));
    var list = document.createElement("ul");
    data.results.forEach(function (r) {
      var li = document.createElement("li");
      li.appendChild(text("strong", r.title));
      li.appendChild(text("span", " – " + r.status_label + (r.commune ? ", " + r.commune : "")));
      li.appendChild(document.createElement("br"));
      li.appendChild(text("span", r.message, "count"));
      var button = text("button", joined.value === r.ref ? box.dataset.unjoin : box.dataset.join, "secondary");
      button.type = "button";
      button.addEventListener("click", function () {
        joined.value = joined.value === r.ref ? "" : r.ref;
        render(data);
      });
      li.appendChild(document.createElement("br"));
      li.appendChild(button);
      if (joined.value === r.ref) { li.appendChild(text("p", box.dataset.joined, "hint")); }
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  function check() {
    var title = (field("title") || {}).value || "";
    var content = (field("content") || {}).value || "";
    var province = (field("province_code") || {}).value || "";
    var commune = (field("commune_code") || {}).value || "";
    if ((title + " " + content).trim().split(/\s+/).length < 3 || !(province || commune)) { return; }
    // POST, not GET: what the citizen typed must not end up in URLs (proxy logs, error reports).
    var query = JSON.stringify({title: title, content: content.slice(0, 2000), province_code: province, commune_code: commune});
    if (query === last) { return; }
    last = query;
    fetch(box.dataset.endpoint, {
      method: "POST",
      body: query,
      headers: {"Accept": "application/json", "Content-Type": "application/json"},
      credentials: "omit"
    })
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(render)
      .catch(function () { /* the form works without the list */ });
  }

  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 700); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 200); });
}());
