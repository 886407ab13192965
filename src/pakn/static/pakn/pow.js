/* Proof of work (only loaded when PAKN_POW_BITS > 0): before the form is sent, find a nonce such that
   SHA-256(challenge ":" nonce) starts with the required number of zero bits. No third party involved. */
(function () {
  "use strict";
  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      for (var b = 7; b >= 0; b--) { if (bytes[i] & (1 << b)) { return bits; } bits++; }
    }
    return bits;
  }
  function solve(challenge, bits) {
    var encoder = new TextEncoder();
    var nonce = 0;
    function step() {
      var batch = [];
      for (var k = 0; k < 256; k++, nonce++) {
        batch.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + nonce)));
      }
      var start = nonce - 256;
      return Promise.all(batch).then(function (digests) {
        for (var j = 0; j < digests.length; j++) {
          if (zeroBits(new Uint8Array(digests[j])) >= bits) { return String(start + j); }
        }
        return step();
      });
    }
    return step();
  }
  document.querySelectorAll("form[data-pow-bits]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var nonceField = form.querySelector("input[name=pow_nonce]");
      if (!nonceField || nonceField.value || event.submitter && event.submitter.name === "choose_province") { return; }
      event.preventDefault();
      var button = form.querySelector("button[type=submit]:not([name])");
      if (button) { button.disabled = true; }
      var challenge = form.querySelector("input[name=pow_challenge]").value;
      solve(challenge, parseInt(form.getAttribute("data-pow-bits"), 10)).then(function (nonce) {
        nonceField.value = nonce;
        if (button) { button.disabled = false; }
        form.submit();
      });
    });
  });
})();
