// Refreshes the e-licence QR code a little before it expires. Without JavaScript the
// "Refresh the code" button reloads the page, which issues a new code the same way.
(function () {
  "use strict";
  var panel = document.querySelector("[data-qr-url]");
  if (!panel || !window.fetch) { return; }
  var url = panel.getAttribute("data-qr-url");
  var every = 60 * 1000;
  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        panel.querySelector("[data-qr-image]").innerHTML = data.svg;
        panel.querySelector("[data-qr-text]").textContent = data.text;
        var stamp = panel.querySelector("[data-qr-refreshed]");
        stamp.setAttribute("datetime", data.refreshed);
        stamp.textContent = new Date(data.refreshed).toLocaleString(document.documentElement.lang);
      })
      .catch(function () { /* offline: the code shown stays until the button is used */ });
  }
  var form = panel.querySelector("form");
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  window.setInterval(refresh, every);
}());
