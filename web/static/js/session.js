// Warns an HR or administrator user before their session times out and
// lets them extend it (WCAG 2.2.1, timing adjustable). The server writes
// the seconds left into <body data-session-idle data-session-max
// data-session-warn> and the texts into <dialog id="session-dialog">; this
// script only shows the right part of the dialog at the right time:
//
//   idle     warn seconds before the idle end: "Continue" posts to
//            /session/extend (same origin, with the session cookie) and
//            starts the clock again from the server's answer;
//   max      warn seconds before the hard end, which nothing extends;
//   expired  at either end: logged out, with a link to log in again.
//
// Other tabs of the same site share the clock through localStorage, so
// working in one tab does not end in a false warning in another. Without
// this script the server still ends sessions exactly as before.
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("session-dialog");
  var idle = parseInt(body.getAttribute("data-session-idle"), 10);
  var max = parseInt(body.getAttribute("data-session-max"), 10);
  var warn = parseInt(body.getAttribute("data-session-warn"), 10);
  if (!dialog || typeof dialog.showModal !== "function" || !(idle >= 0) || !(max >= 0) || !(warn > 0)) {
    return;
  }
  var KEY = "lederradar.session";
  var STATES = ["idle", "max", "expired"];
  var extendButton = dialog.querySelector("[data-session-extend]");
  var closeButton = dialog.querySelector("[data-session-close]");
  var failed = dialog.querySelector("[data-session-failed]");
  var idleEnd = 0;
  var maxEnd = 0;
  var timer = 0;
  var state = "";      // the part of the dialog on show, "" when closed
  var dismissed = "";  // the part the user closed, not to be shown again
  var returnFocus = null;
  var busy = false;

  function part(name) {
    return dialog.querySelector('[data-session-state="' + name + '"]');
  }

  function show(name) {
    if (dismissed === name || (state === name && dialog.open)) {
      return;
    }
    STATES.forEach(function (n) { part(n).hidden = n !== name; });
    failed.hidden = true;
    dialog.setAttribute("aria-labelledby", "session-" + name + "-title");
    dialog.setAttribute("aria-describedby", "session-" + name + "-text");
    if (dialog.open) {
      dialog.close(); // and open again, so that the new text is announced
    } else {
      returnFocus = document.activeElement;
    }
    state = name;
    dialog.showModal();
    var first = part(name).querySelector("button, a[href]");
    if (first) {
      first.focus();
    }
  }

  function hide() {
    state = "";
    if (dialog.open) {
      dialog.close();
    }
    if (returnFocus && typeof returnFocus.focus === "function" && document.contains(returnFocus)) {
      returnFocus.focus();
    }
    returnFocus = null;
  }

  // start sets the clock from seconds left, as the server counts them,
  // and tells the other tabs when share is set.
  function start(idleSeconds, maxSeconds, share) {
    var now = Date.now();
    idleEnd = now + idleSeconds * 1000;
    maxEnd = now + maxSeconds * 1000;
    dismissed = "";
    if (share) {
      try {
        localStorage.setItem(KEY, JSON.stringify({ idleEnd: idleEnd, maxEnd: maxEnd }));
      } catch (e) {
        // No storage (private mode, policy): each tab keeps its own clock.
      }
    }
    tick();
  }

  function tick() {
    clearTimeout(timer);
    var now = Date.now();
    var end = Math.min(idleEnd, maxEnd);
    if (now >= end) {
      show("expired");
      return;
    }
    var next = end - warn * 1000 - now;
    if (next <= 0) {
      // Within the warning time: extending helps only if the hard end is
      // further away than that.
      show(maxEnd - now <= warn * 1000 ? "max" : "idle");
      next = end - now;
    }
    // Wake at least every 30 seconds: timers stop while a computer sleeps.
    timer = setTimeout(tick, Math.min(next, 30000) + 20);
  }

  extendButton.addEventListener("click", function () {
    if (busy) {
      return;
    }
    busy = true;
    failed.hidden = true;
    fetch("/session/extend", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (r) {
      if (r.status === 401) {
        return null; // the session had already ended
      }
      if (!r.ok) {
        throw new Error("status " + r.status);
      }
      return r.json();
    }).then(function (left) {
      busy = false;
      if (!left) {
        idleEnd = maxEnd = Date.now();
        tick();
        return;
      }
      hide();
      start(left.idle, left.max, true);
    }).catch(function () {
      busy = false;
      failed.hidden = false;
      extendButton.focus();
    });
  });

  closeButton.addEventListener("click", function () {
    dismissed = state;
    hide();
  });

  // Escape closes the dialog: the user has seen it; it comes back only
  // when there is something new to say.
  dialog.addEventListener("cancel", function (e) {
    e.preventDefault();
    dismissed = state;
    hide();
  });

  window.addEventListener("storage", function (e) {
    if (e.key !== KEY || !e.newValue) {
      return;
    }
    var t;
    try {
      t = JSON.parse(e.newValue);
    } catch (err) {
      return;
    }
    if (!(t.idleEnd > idleEnd)) {
      return;
    }
    idleEnd = t.idleEnd;
    maxEnd = t.maxEnd;
    dismissed = "";
    if (state) {
      hide();
    }
    tick();
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      tick();
    }
  });

  start(idle, max, true);
})();
