/* Security keys and passkeys (WebAuthn) for the second step: adds a key ([data-webauthn="add"]) or passes the
   step with one ([data-webauthn="verify"]). The server's ceremonies are django-otp-webauthn's
   (pakn.accounts.security_keys); this only carries their JSON to the browser's authenticator and back. A
   section stays hidden where the browser has no WebAuthn: the authenticator app and the codes remain. */
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function bytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }
  function text(buffer) {
    var view = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < view.length; i++) raw += String.fromCharCode(view[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function withIds(list) {
    return (list || []).map(function (item) {
      var copy = Object.assign({}, item);
      copy.id = bytes(item.id);
      return copy;
    });
  }
  function creationOptions(o) {
    var options = Object.assign({}, o);
    options.challenge = bytes(o.challenge);
    options.user = Object.assign({}, o.user, { id: bytes(o.user.id) });
    options.excludeCredentials = withIds(o.excludeCredentials);
    return options;
  }
  function requestOptions(o) {
    var options = Object.assign({}, o);
    options.challenge = bytes(o.challenge);
    options.allowCredentials = withIds(o.allowCredentials);
    return options;
  }
  function asJson(credential) {
    var r = credential.response, response = { clientDataJSON: text(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = text(r.attestationObject);
      if (r.getTransports) response.transports = r.getTransports();
    } else {
      response.authenticatorData = text(r.authenticatorData);
      response.signature = text(r.signature);
      if (r.userHandle) response.userHandle = text(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: text(credential.rawId),
      type: credential.type,
      response: response,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {}
    };
  }

  function setUp(section) {
    var button = section.querySelector("button[data-start]");
    var status = section.querySelector("[role=status]");
    var token = section.querySelector("input[name=csrfmiddlewaretoken]").value;
    var adding = section.getAttribute("data-webauthn") === "add";

    function say(message, failed) {
      status.textContent = message;
      status.classList.toggle("error", !!failed);
    }
    function post(url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
        body: JSON.stringify(body || {})
      }).then(function (answer) {
        return answer.json().catch(function () { return {}; }).then(function (data) {
          if (!answer.ok) throw { server: data.detail || section.getAttribute("data-failed") };
          return data;
        });
      });
    }
    function showCodes(codes, next) {
      var box = section.querySelector("[data-codes]");
      var list = box.querySelector("ul");
      codes.forEach(function (code) {
        var item = document.createElement("li"), tag = document.createElement("code");
        tag.textContent = code;
        item.appendChild(tag);
        list.appendChild(item);
      });
      box.querySelector("a").setAttribute("href", next);
      box.hidden = false;
      button.hidden = true;
      box.querySelector("h2").focus();
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say(section.getAttribute("data-working"));
      post(section.getAttribute("data-begin"))
        .then(function (options) {
          return adding
            ? navigator.credentials.create({ publicKey: creationOptions(options) })
            : navigator.credentials.get({ publicKey: requestOptions(options) });
        })
        .then(function (credential) {
          say(section.getAttribute("data-checking"));
          return post(section.getAttribute("data-complete"), asJson(credential));
        })
        .then(function (done) {
          say(section.getAttribute("data-done"));
          if (done.codes && done.codes.length) showCodes(done.codes, done.redirect_url);
          else window.location.assign(done.redirect_url);
        })
        .catch(function (error) {
          button.disabled = false;
          if (error && error.server) return say(error.server, true);
          var name = error && error.name;
          if (name === "InvalidStateError") return say(section.getAttribute("data-known"), true);
          if (name === "NotAllowedError" || name === "AbortError") return say(section.getAttribute("data-cancelled"), true);
          say(section.getAttribute("data-failed"), true);
        });
    });
    section.hidden = false;
  }

  document.querySelectorAll("[data-webauthn]").forEach(setUp);
  document.querySelectorAll("[data-without-webauthn]").forEach(function (note) { note.hidden = true; });
})();
