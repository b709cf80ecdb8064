/* Homework autosave: a progressive enhancement of the answer form (which works without it).
 *
 * - Saves a draft 2 seconds after the last change, with the draft's version (two tabs cannot
 *   overwrite each other: the server refuses a stale save) and updates the hidden version.
 * - Keeps a copy of unsaved answers in localStorage (per assignment and user) so a closed tab,
 *   a lost connection or an expired login never loses text; offers to put a newer copy back.
 *   Safety check-ins are never copied to the device (data-autosave-local="off").
 * - Shows a calm status line. Loaded with <script defer>: no inline script anywhere.
 */
(function () {
  "use strict";

  var DELAY_MS = 2000;
  var RADIO_TYPES = ["scale", "single_choice", "yes_no"];

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private modes may refuse it; autosave still works without the copy
    }
  }

  // The read-only page after submitting: the device copy has served its purpose.
  var done = document.querySelector("[data-homework-done]");
  if (done && storage()) {
    storage().removeItem(done.getAttribute("data-homework-done"));
  }

  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.JSON) {
    return;
  }

  var url = form.getAttribute("data-autosave-url");
  var key = form.getAttribute("data-autosave-key");
  var keepLocal = form.getAttribute("data-autosave-local") !== "off" && storage() !== null;
  var serverSavedAt = Date.parse(form.getAttribute("data-server-saved-at") || "") || 0;
  var versionInput = form.querySelector("input[name='version']");
  var statusLine = form.querySelector("[data-autosave-status]");
  var restoreBox = form.querySelector("[data-autosave-restore]");
  var tokenMeta = document.querySelector("meta[name='csrf-token']");

  var timer = null;
  var inFlight = null;
  var edits = 0; // changes made on this page; a save clears the device copy only if none since
  var stopped = false; // after a refused (stale or closed) save: no more automatic saves
  var resubmitting = false;

  function setStatus(text) {
    if (statusLine) {
      statusLine.textContent = text;
    }
  }

  function questions() {
    return Array.prototype.slice.call(form.querySelectorAll(".question[data-key]"));
  }

  function inputsOf(question, selector) {
    return Array.prototype.slice.call(question.querySelectorAll(selector));
  }

  function collectAnswers() {
    var answers = {};
    questions().forEach(function (question) {
      var name = question.getAttribute("data-key");
      var type = question.getAttribute("data-type");
      if (type === "multi_choice") {
        answers[name] = inputsOf(question, "input[type='checkbox']:checked").map(function (box) {
          return box.value;
        });
      } else if (type === "list") {
        answers[name] = inputsOf(question, "input").map(function (input) {
          return input.value;
        });
      } else if (RADIO_TYPES.indexOf(type) !== -1) {
        var chosen = question.querySelector("input[type='radio']:checked");
        answers[name] = chosen ? chosen.value : "";
      } else {
        var field = question.querySelector("textarea, input");
        answers[name] = field ? field.value : "";
      }
    });
    return answers;
  }

  function applyAnswers(answers) {
    questions().forEach(function (question) {
      var name = question.getAttribute("data-key");
      var type = question.getAttribute("data-type");
      if (!Object.prototype.hasOwnProperty.call(answers, name)) {
        return;
      }
      var value = answers[name];
      if (type === "multi_choice") {
        inputsOf(question, "input[type='checkbox']").forEach(function (box) {
          box.checked = Array.isArray(value) && value.indexOf(box.value) !== -1;
        });
      } else if (type === "list") {
        inputsOf(question, "input").forEach(function (input, index) {
          input.value = Array.isArray(value) && value[index] !== undefined ? value[index] : "";
        });
      } else if (RADIO_TYPES.indexOf(type) !== -1) {
        inputsOf(question, "input[type='radio']").forEach(function (radio) {
          radio.checked = radio.value === String(value);
        });
      } else {
        var field = question.querySelector("textarea, input");
        if (field) {
          field.value = value === null || value === undefined ? "" : String(value);
        }
      }
    });
  }

  function sameAnswers(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // --- the copy on this device ------------------------------------------------------------

  function readCopy() {
    if (!keepLocal) {
      return null;
    }
    try {
      var copy = JSON.parse(storage().getItem(key) || "null");
      return copy && typeof copy.answers === "object" ? copy : null;
    } catch (error) {
      return null;
    }
  }

  function writeCopy() {
    if (!keepLocal) {
      return;
    }
    var copy = {
      answers: collectAnswers(),
      savedAt: Date.now(),
      baseVersion: Number(versionInput ? versionInput.value : 0) || 0,
    };
    try {
      storage().setItem(key, JSON.stringify(copy));
    } catch (error) {
      /* storage full or refused: the server save still runs */
    }
  }

  function dropCopy() {
    if (keepLocal) {
      storage().removeItem(key);
    }
  }

  function describeTime(milliseconds) {
    var moment = new Date(milliseconds);
    var time = moment.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    var sameDay = moment.toDateString() === new Date().toDateString();
    return sameDay ? "at " + time : "on " + moment.toLocaleDateString() + " at " + time;
  }

  function offerRestore(copy) {
    if (!restoreBox) {
      return;
    }
    var when = restoreBox.querySelector("[data-autosave-restore-when]");
    if (when) {
      when.textContent = describeTime(copy.savedAt);
    }
    restoreBox.hidden = false;
    restoreBox.querySelector("[data-autosave-restore-yes]").addEventListener("click", function () {
      applyAnswers(copy.answers);
      restoreBox.hidden = true;
      edits += 1;
      writeCopy();
      save();
    });
    restoreBox.querySelector("[data-autosave-restore-no]").addEventListener("click", function () {
      restoreBox.hidden = true;
      dropCopy();
    });
  }

  function checkCopyOnLoad() {
    if (form.hasAttribute("data-unsaved")) {
      writeCopy(); // the page shows text the server refused: keep it here too
      return;
    }
    var copy = readCopy();
    if (!copy) {
      return;
    }
    if (sameAnswers(copy.answers, collectAnswers())) {
      dropCopy(); // the server has it
      return;
    }
    var version = Number(versionInput ? versionInput.value : 0) || 0;
    if (copy.baseVersion >= version || copy.savedAt > serverSavedAt) {
      offerRestore(copy);
    } else {
      dropCopy(); // older than what the server saved since
    }
  }

  // --- saving to the server ---------------------------------------------------------------

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
    if (stopped || inFlight) {
      if (inFlight && !stopped) {
        inFlight.then(schedule);
      }
      return;
    }
    if (navigator.onLine === false) {
      setStatus("Not saved: you're offline; your text is kept on this device.");
      return;
    }
    var editsAtStart = edits;
    var body = JSON.stringify({
      version: Number(versionInput ? versionInput.value : 0) || 0,
      answers: collectAnswers(),
    });
    inFlight = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a redirect means the login ended: we must not follow it
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": tokenMeta ? tokenMeta.getAttribute("content") : "",
      },
      body: body,
    })
      .then(function (response) {
        return handleResponse(response, editsAtStart);
      })
      .catch(function () {
        setStatus("Not saved: you're offline; your text is kept on this device.");
      })
      .then(function () {
        inFlight = null;
      });
  }

  function handleResponse(response, editsAtStart) {
    if (response.type === "opaqueredirect" || response.status === 401) {
      stopped = true;
      setStatus("Not saved: your login has ended. Your text is kept on this device: log in " +
                "again and open this page to put it back.");
      return null;
    }
    return response
      .json()
      .catch(function () {
        return {};
      })
      .then(function (data) {
        if (response.ok && data.saved) {
          if (versionInput) {
            versionInput.value = data.version;
          }
          serverSavedAt = Date.parse(data.saved_at) || Date.now();
          setStatus("Draft saved at " + (data.saved_at_text || describeTime(Date.now())) + ".");
          if (edits === editsAtStart) {
            dropCopy();
          } else {
            writeCopy(); // newer text since: keep it, now based on the new version
          }
        } else if (response.status === 409) {
          stopped = true;
          setStatus(data.message || "Not saved: this page is out of date. Reload it.");
        } else if (response.status === 422) {
          setStatus(data.message || "Not saved yet: an answer needs a look.");
        } else if (response.status === 400) {
          stopped = true;
          setStatus("Not saved: this page was open for a long time. Your text is kept on this " +
                    "device; reload the page to carry on.");
        } else if (!response.ok) {
          setStatus("Not saved just now; your text is kept on this device. We'll try again.");
        }
      });
  }

  // --- wiring -----------------------------------------------------------------------------

  function changed() {
    edits += 1;
    writeCopy();
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    writeCopy(); // should this POST fail (login ended), the text is still on this device
    if (inFlight && !resubmitting) {
      // Wait for the autosave under way, so the form carries the version it produced.
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        resubmitting = true;
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit(submitter || undefined);
          return;
        }
        if (submitter && submitter.name) {
          // form.submit() sends no button: say which one was pressed (draft or submit)
          var pressed = document.createElement("input");
          pressed.type = "hidden";
          pressed.name = submitter.name;
          pressed.value = submitter.value;
          form.appendChild(pressed);
        }
        form.submit();
      });
    }
  });

  window.addEventListener("online", function () {
    if (edits > 0 && !stopped) {
      schedule();
    }
  });

  checkCopyOnLoad();
})();
