/* Background job progress: polls the job's JSON and updates the bar, the counts, the message,
 * the per-couple errors and the download link, until the job is finished.
 *
 * A progressive enhancement: without JavaScript the page shows the same figures and a
 * "Reload this page" link. Loaded with <script defer>: no inline script anywhere.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-job-status-url]");
  if (!box || !window.fetch || !window.JSON) {
    return;
  }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("progress");
  var done = box.querySelector("[data-job-done]");
  var total = box.querySelector("[data-job-total]");
  var message = box.querySelector("[data-job-message]");
  var download = box.querySelector("[data-job-download]");
  var downloadLink = box.querySelector("[data-job-download-link]");
  var errors = box.querySelector("[data-job-errors]");
  var errorList = box.querySelector("[data-job-error-list]");
  var reload = box.querySelector("[data-job-reload]");
  var failures = 0;
  var lastMessage = message ? message.textContent : "";

  function show(state) {
    box.setAttribute("data-job-status", state.status);
    if (bar) {
      bar.max = state.total || 1;
      bar.value = state.status === "done" ? bar.max : state.done;
      bar.textContent = state.percent + "%";
    }
    if (done) { done.textContent = state.done; }
    if (total) { total.textContent = state.total; }
    if (message && state.message !== lastMessage) {
      message.textContent = state.message; // only on change: the live region stays quiet
      message.className = "job__message job__message--" + state.status;
      lastMessage = state.message;
    }
    if (errors && errorList) {
      errorList.textContent = "";
      state.errors.forEach(function (error) {
        var item = document.createElement("li");
        var who = document.createElement("strong");
        who.textContent = error.couple;
        item.appendChild(who);
        item.appendChild(document.createTextNode(": " + error.message));
        errorList.appendChild(item);
      });
      errors.hidden = state.errors.length === 0;
    }
    if (download && downloadLink && state.download_url) {
      downloadLink.href = state.download_url;
      download.hidden = false;
    }
    if (reload && state.finished) {
      reload.hidden = true;
    }
  }

  function poll(seconds) {
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("status " + response.status); }
          return response.json();
        })
        .then(function (state) {
          failures = 0;
          show(state);
          if (!state.finished) { poll(state.poll_seconds || 1); }
        })
        .catch(function () {
          // Keep trying, slower, a few times; the reload link still works.
          failures += 1;
          if (failures < 10) { poll(Math.min(30, seconds * 2)); }
        });
    }, seconds * 1000);
  }

  var status = box.getAttribute("data-job-status");
  if (status !== "done" && status !== "failed") {
    if (reload) { reload.hidden = true; }
    poll(1);
  }
})();
