// Keeps the open page current: every data-refresh seconds, ask for this same URL with If-None-Match;
// a 304 changes nothing, a 200 swaps the new chronology in and says so in the status line.
// The new HTML comes from our own server, rendered with every feed string escaped.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(main.getAttribute("data-refresh") || "0", 10);
  var etag = main.getAttribute("data-etag");
  if (!(seconds > 0) || !etag) { return; }

  function announce(text) {
    var status = document.getElementById("status");
    if (status) { status.textContent = text; }
  }

  function swap(html, next) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
    if (!fresh) { return; }
    main.replaceChildren.apply(main, Array.prototype.map.call(fresh.childNodes, function (node) {
      return document.importNode(node, true);
    }));
    etag = next || fresh.getAttribute("data-etag");
    main.setAttribute("data-etag", etag);
    announce("Updated at " + new Date().toLocaleTimeString() + ".");
  }

  function check() {
    fetch(window.location.href, {
      headers: { "If-None-Match": etag, "Accept": "text/html" },
      cache: "no-store",
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 200) { return null; }
      var next = response.headers.get("ETag");
      return response.text().then(function (html) { swap(html, next); });
    }).catch(function () {
      // offline or restarting: try again at the next tick
    }).then(function () {
      window.setTimeout(check, seconds * 1000);
    });
  }

  window.setTimeout(check, seconds * 1000);
}());
