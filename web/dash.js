// dash.js — the dashboard's only script (embedded in the binary): asks for
// confirmation before a form marked data-confirm (revoke, remove) is sent.
// The pages work without it.
"use strict";
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (f && f.getAttribute && f.getAttribute("data-confirm") && !window.confirm("OK?")) {
    e.preventDefault();
  }
});
