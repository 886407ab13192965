/* Progressive enhancement only: every form works without this file, and the server checks everything.
   - the province's communes are loaded when the province changes; the complaint round shows for complaints;
   - a counter under each long text field states its limit before anything is sent (the limit is data-maxlength:
     the browser's maxlength would cut a pasted text silently);
   - chosen files are checked against the number and size limits before a long upload starts;
   - a form with a problem is not sent: the problem is shown at the field and the field takes focus. */
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  var t = en ? {
    left: function (n) { return n + " characters left"; },
    over: function (n) { return n + " characters too many"; },
    limit: function (n) { return "At most " + n + " characters"; },
    files: function (n) { return "At most " + n + " files at a time."; },
    size: function (name, mb) { return name + " is larger than " + mb + " MB."; }
  } : {
    left: function (n) { return "Còn " + n + " ký tự"; },
    over: function (n) { return "Quá " + n + " ký tự"; },
    limit: function (n) { return "Tối đa " + n + " ký tự"; },
    files: function (n) { return "Tối đa " + n + " tệp mỗi lần gửi."; },
    size: function (name, mb) { return "Tệp " + name + " lớn hơn " + mb + " MB."; }
  };
  function grouped(n) { return n.toLocaleString(en ? "en" : "vi-VN"); }
  function describe(field, id) {
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (ids.indexOf(id) < 0) { ids.push(id); field.setAttribute("aria-describedby", ids.join(" ")); }
  }

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
  // The person concerned: only for the kinds that can be about a person (shown to everyone without script).
  var person = document.getElementById("subject-person");
  function togglePerson() {
    var checked = document.querySelector("input[name=kind]:checked");
    if (person) { person.hidden = !!checked && person.dataset.kinds.split(" ").indexOf(checked.value) < 0; }
  }
  kinds.forEach(function (k) { k.addEventListener("change", togglePerson); });
  togglePerson();

  // Counters on long text fields.
  var counted = [];
  document.querySelectorAll("textarea[data-maxlength], input[data-maxlength]").forEach(function (field) {
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!max || (field.tagName === "INPUT" && max < 150) || !field.id) { return; }
    var counter = document.createElement("span");
    counter.className = "counter";
    counter.id = field.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    describe(field, counter.id);
    function update() {
      var left = max - field.value.length;
      counter.textContent = left >= 0 ? t.left(grouped(left)) + " (" + t.limit(grouped(max)) + ")" : t.over(grouped(-left));
      counter.classList.toggle("over", left < 0);
      return left >= 0;
    }
    field.addEventListener("input", update);
    update();
    counted.push({field: field, ok: update});
  });

  // Files: number and size, before the upload.
  var fileChecks = [];
  document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
    var maxFiles = parseInt(input.getAttribute("data-max-files"), 10);
    var maxMb = parseInt(input.getAttribute("data-max-mb"), 10);
    var note = document.createElement("span");
    note.className = "counter";
    note.id = input.id + "_check";
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    describe(input, note.id);
    function check() {
      var problem = "";
      if (input.files.length > maxFiles) { problem = t.files(maxFiles); }
      Array.prototype.forEach.call(input.files, function (f) {
        if (!problem && f.size > maxMb * 1024 * 1024) { problem = t.size(f.name, maxMb); }
      });
      note.textContent = problem;
      note.classList.toggle("over", !!problem);
      return !problem;
    }
    input.addEventListener("change", check);
    fileChecks.push({field: input, ok: check});
  });

  // The receiving unit of a forward: the list follows what the clerk types (the "Tìm" button does it without JS).
  document.querySelectorAll("input[data-unit-search]").forEach(function (input) {
    var select = input.form && input.form.elements[input.getAttribute("data-unit-search")];
    if (!select) { return; }
    var button = input.form.querySelector("button[name=find_unit]");
    if (button) { button.hidden = true; }
    var timer = null;
    var near = select.getAttribute("data-near") || "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2) { return; }
        fetch("/api/v1/units?q=" + encodeURIComponent(q) + "&near=" + encodeURIComponent(near), {headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            var group = select.querySelector("optgroup[data-found]");
            if (!group) {
              group = document.createElement("optgroup");
              group.setAttribute("data-found", "1");
              select.insertBefore(group, select.options[1] ? select.options[1].parentNode === select ? select.options[1] : select.options[1].parentNode : null);
            }
            group.label = (en ? "Found: " : "Kết quả tìm: ") + q;
            group.innerHTML = "";
            items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.code;
              option.textContent = item.label || item.name;
              group.appendChild(option);
            });
            if (items.length) { select.value = items[0].code; }
          })
          .catch(function () { /* the "Tìm" button still works */ });
      }, 250);
    });
  });

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var checks = counted.concat(fileChecks).filter(function (c) { return form.contains(c.field); });
      for (var i = 0; i < checks.length; i++) {
        if (!checks[i].ok()) { event.preventDefault(); checks[i].field.focus(); return; }
      }
    });
  });
})();
