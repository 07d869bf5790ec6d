// The console's only script. The content security policy forbids inline script (server/api/security_headers.py),
// so the print button is wired here: a button marked data-print prints the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
