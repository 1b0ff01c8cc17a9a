// Werkzaam: keep what a practitioner writes. Progressive: the form works without this file.
//
// 1. Every keystroke is copied to localStorage (this browser only), so text survives a session
//    timeout, a lost connection or a closed tab.
// 2. After a pause in typing (and at least every 15 s while typing) the draft is POSTed to the
//    server's autosave endpoint with the CSRF token in the X-CSRFToken header.
// 3. On load, the browser copy is put back into the form when it holds edits the server never
//    received: the server's draft version (data-draft-version) is not newer than the version the
//    copy was based on. Versions are server timestamps, so the browser's clock plays no part.
// 4. A page after a successful save names the draft in data-autosave-clear: its copy is dropped.
(function () {
  "use strict";

  var PAUSE_MS = 2000;
  var MAX_WAIT_MS = 15000;

  function storageKey(user, draft) {
    return "werkzaam:draft:" + user + ":" + draft;
  }

  function safeStorage() {
    try {
      var probe = "werkzaam:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage disabled: server autosave still works
    }
  }

  var storage = safeStorage();

  document.querySelectorAll("[data-autosave-clear]").forEach(function (el) {
    if (storage) {
      storage.removeItem(storageKey(el.getAttribute("data-draft-user"), el.getAttribute("data-autosave-clear")));
    }
  });

  var form = document.querySelector("form[data-autosave]");
  if (!form) {
    return;
  }

  var key = storageKey(form.getAttribute("data-draft-user"), form.getAttribute("data-draft-key"));
  var serverVersion = parseInt(form.getAttribute("data-draft-version") || "0", 10) || 0;
  var statusEl = form.querySelector("[data-autosave-status]");
  var tokenEl = form.querySelector("input[name=csrf_token]");
  var state = { base: serverVersion, dirty: false, data: {} };
  var edits = 0;
  var inFlight = false;
  var pauseTimer = null;
  var firstUnsavedAt = 0;

  function say(text) {
    if (statusEl) {
      statusEl.textContent = text || "";
    }
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "draft_key" &&
        (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.type === "text");
    });
  }

  function read() {
    var data = {};
    fields().forEach(function (el) { data[el.name] = el.value; });
    return data;
  }

  function remember() {
    if (!storage) {
      return;
    }
    try {
      storage.setItem(key, JSON.stringify(state));
    } catch (e) {
      // storage full: the server copy remains
    }
  }

  function loadCopy() {
    if (!storage) {
      return null;
    }
    try {
      return JSON.parse(storage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }

  function restore() {
    var copy = loadCopy();
    if (!copy || typeof copy !== "object") {
      return;
    }
    if ((copy.base || 0) < serverVersion) {
      storage.removeItem(key); // the server has a newer save (another device, or the text was saved)
      return;
    }
    if (!copy.dirty || !copy.data) {
      return;
    }
    var changed = false;
    fields().forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(copy.data, el.name) && el.value !== copy.data[el.name]) {
        el.value = copy.data[el.name];
        changed = true;
      }
    });
    state = { base: copy.base, dirty: true, data: copy.data };
    if (changed) {
      say(form.getAttribute("data-msg-restored"));
      schedule();
    }
  }

  function timeNow() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function send() {
    pauseTimer = null;
    if (inFlight || !state.dirty) {
      return;
    }
    inFlight = true;
    var sentAt = edits;
    var body = new FormData(form);
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": tokenEl ? tokenEl.value : "", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error("not saved");
      }
      return response.json();
    }).then(function (answer) {
      if (answer.saved) {
        state.base = answer.version;
        state.dirty = edits !== sentAt;
        firstUnsavedAt = state.dirty ? firstUnsavedAt : 0;
        remember();
        say(form.getAttribute("data-msg-saved") + " " + timeNow());
      } else {
        say(answer.message);
      }
    }).catch(function () {
      say(form.getAttribute("data-msg-offline"));
    }).then(function () {
      inFlight = false;
      if (state.dirty && edits !== sentAt) {
        schedule();
      }
    });
  }

  function schedule() {
    var now = Date.now();
    if (!firstUnsavedAt) {
      firstUnsavedAt = now;
    }
    if (pauseTimer) {
      window.clearTimeout(pauseTimer);
    }
    // Save after a pause in typing, but do not wait longer than MAX_WAIT_MS while typing on.
    var wait = Math.min(PAUSE_MS, Math.max(0, firstUnsavedAt + MAX_WAIT_MS - now));
    pauseTimer = window.setTimeout(send, wait);
  }

  function onEdit() {
    edits += 1;
    state.data = read();
    state.dirty = true;
    remember();
    schedule();
  }

  restore();
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  // The normal POST keeps the copy: if it bounces off an expired session, the text comes back.
  form.addEventListener("submit", function () {
    state.data = read();
    remember();
  });
})();
