// Trade-secret mode: compute a local file's SHA-256 with WebCrypto and fill the form with it.
// The file input has no name and sits outside the form, so the browser never sends the file itself.
(function () {
  "use strict";
  var input = document.getElementById("local-file");
  if (!input) return;
  var status = document.getElementById("hash-status");
  var stateSize = document.getElementById("state-size");
  var target = document.getElementById(input.dataset.hashTarget);
  var sizeField = document.getElementById(input.dataset.sizeTarget);
  var typeField = document.getElementById(input.dataset.typeTarget);
  var chosen = null;

  function say(text) { status.textContent = text; }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function fillDetails() {
    var on = stateSize && stateSize.checked && chosen;
    if (sizeField) sizeField.value = on ? String(chosen.size) : "";
    if (typeField) typeField.value = on ? (chosen.type || "") : "";
  }

  if (!(window.crypto && window.crypto.subtle && window.isSecureContext)) {
    say(input.dataset.msgInsecure);
    input.disabled = true;
    return;
  }

  input.addEventListener("change", function () {
    chosen = input.files && input.files[0];
    if (!chosen) return;
    target.value = "";
    say(input.dataset.msgWorking);
    chosen.arrayBuffer()
      .then(function (data) { return window.crypto.subtle.digest("SHA-256", data); })
      .then(function (digest) {
        target.value = hex(digest);
        fillDetails();
        say(input.dataset.msgDone);
        input.dispatchEvent(new CustomEvent("huhang:hashed", { bubbles: true }));
      })
      .catch(function () { say(input.dataset.msgFailed); });
  });
  if (stateSize) stateSize.addEventListener("change", fillDetails);
})();
