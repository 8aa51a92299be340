// communique serve: live reload, stylesheet swapping and the error overlay.
// Injected into every HTML page `serve` sends; never part of `build` output.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL(script.getAttribute("data-root") || "./", location.href);
  var socketUrl = new URL("__livereload", root);
  socketUrl.protocol = socketUrl.protocol === "https:" ? "wss:" : "ws:";
  var connectedBefore = false;
  var retryMs = 250;
  var OVERLAY_ID = "communique-error-overlay";

  function connect() {
    var socket = new WebSocket(socketUrl.href);
    socket.onopen = function () {
      // After the server restarted, the site may have changed while we were away.
      if (connectedBefore) { location.reload(); return; }
      connectedBefore = true;
      retryMs = 250;
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "reload") location.reload();
      else if (message.type === "css") swapStylesheets(message.paths);
      else if (message.type === "error") showOverlay(message.text);
      else if (message.type === "ok") hideOverlay();
    };
    socket.onclose = function () {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 2000);
    };
  }

  // Replaces each stylesheet whose file changed with a fresh copy; the old one is removed
  // once the new one has loaded, so the page never shows unstyled.
  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    var swapped = 0;
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var url = new URL(link.href, location.href);
      var path = url.pathname.indexOf(root.pathname) === 0 ? decodeURIComponent(url.pathname.slice(root.pathname.length)) : null;
      if (path === null || paths.indexOf(path) < 0) continue;
      url.searchParams.set("communique", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = (function (old) { return function () { old.remove(); }; })(link);
      link.after(fresh);
      swapped++;
    }
    if (swapped === 0) location.reload();
  }

  function showOverlay(text) {
    var overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY_ID;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.94);color:#f3f3f3;padding:2rem;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("h2");
      title.textContent = "The site has errors; showing the last good version underneath";
      title.style.cssText = "margin:0 0 1rem;font:600 16px/1.4 system-ui,sans-serif;color:#ff8a80";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Hide";
      close.style.cssText = "float:right;font:inherit;cursor:pointer";
      close.onclick = hideOverlay;
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.append(close, title, pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }

  function hideOverlay() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  connect();
})();
