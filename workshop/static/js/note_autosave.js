/* Session-note autosave: a progressive enhancement of the note form (which works without it).
 *
 * - Saves the draft 2 seconds after the last change, as JSON with the draft's version and the
 *   X-CSRFToken header; the server refuses a stale save (another tab), and then this stops.
 * - Never keeps a copy of the note on the device: clinical notes stay on the server only.
 *   Unsaved text stays in the page, and leaving the page with unsaved text asks first.
 * - Saves before switching format, so the switch carries the latest text.
 * Loaded with <script defer>: no inline script anywhere.
 */
(function () {
  "use strict";

  var DELAY_MS = 2000;
  var form = document.querySelector("form[data-note-autosave-url]");
  if (!form || !window.fetch || !window.JSON) {
    return;
  }

  var url = form.getAttribute("data-note-autosave-url");
  var versionInput = form.querySelector("input[name='version']");
  var formatInput = form.querySelector("input[name='format']");
  var statusLine = form.querySelector("[data-autosave-status]");
  var picker = document.querySelector("form[data-note-format-picker]");
  var tokenMeta = document.querySelector("meta[name='csrf-token']");

  var timer = null;
  var inFlight = null;
  var edits = 0; // changes typed on this page
  var savedEdits = 0; // how many of them the server has
  var stopped = form.hasAttribute("data-autosave-paused"); // after a refusal: save by hand
  var leaving = false;

  function setStatus(text) {
    if (statusLine) {
      statusLine.textContent = text;
    }
  }

  function sections() {
    var found = {};
    Array.prototype.forEach.call(form.querySelectorAll("textarea[name^='s_']"), function (box) {
      found[box.name.slice(2)] = box.value;
    });
    return found;
  }

  function unsaved() {
    return edits > savedEdits;
  }

  function schedule() {
    if (stopped) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }

  function save() {
    window.clearTimeout(timer);
    timer = null;
    if (stopped || !unsaved()) {
      return Promise.resolve();
    }
    if (inFlight) {
      return inFlight.then(save);
    }
    var editsAtStart = edits;
    inFlight = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a redirect means the login ended: never follow it
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": tokenMeta ? tokenMeta.getAttribute("content") : "",
      },
      body: JSON.stringify({
        version: Number(versionInput ? versionInput.value : 0) || 0,
        format: formatInput ? formatInput.value : "",
        sections: sections(),
      }),
    })
      .then(function (response) {
        return handle(response, editsAtStart);
      })
      .catch(function () {
        setStatus("Not saved just now (no connection?). Your text is still here; we'll retry.");
      })
      .then(function () {
        inFlight = null;
      });
    return inFlight;
  }

  function handle(response, editsAtStart) {
    if (response.type === "opaqueredirect" || response.status === 401) {
      stopped = true;
      setStatus("Not saved: your login has ended. Copy your text somewhere safe, log in again, " +
                "and paste it back.");
      return null;
    }
    return response.json().catch(function () {
      return {};
    }).then(function (data) {
      if (response.ok && data.saved) {
        if (versionInput) {
          versionInput.value = data.version;
        }
        savedEdits = editsAtStart;
        setStatus("Draft saved at " + (data.saved_at_text || "just now") + ".");
      } else if (response.ok) {
        savedEdits = editsAtStart; // nothing worth saving yet
      } else if (response.status === 409) {
        stopped = true;
        setStatus(data.message || "Not saved: this note changed elsewhere. Reload to compare.");
      } else if (response.status === 422) {
        setStatus(data.message || "Not saved yet: a section is too long.");
      } else if (response.status === 400) {
        stopped = true;
        setStatus("Not saved: this page was open for a long time. Use “Save draft” below.");
      } else {
        setStatus("Not saved just now. Your text is still here; we'll retry.");
      }
    });
  }

  function changed() {
    edits += 1;
    schedule();
  }

  form.addEventListener("input", changed);

  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    leaving = true;
    if (inFlight) {
      // Let the autosave under way finish, so the form carries the version it produced.
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit(submitter || undefined);
        } else {
          form.submit();
        }
      });
    }
  });

  if (picker) {
    picker.addEventListener("submit", function (event) {
      if (stopped || !unsaved()) {
        leaving = true;
        return;
      }
      event.preventDefault();
      save().then(function () {
        leaving = !unsaved();
        if (leaving) {
          picker.submit();
        }
      });
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
