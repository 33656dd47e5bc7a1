// The story editor: what is typed is autosaved a few seconds after typing stops (kept in the
// story's history as an autosave, never written to the story by itself), Ctrl+S (⌘+S) saves,
// and leaving the page with edits not yet sent asks first. The form works the same without
// this script; a form sent after the session ended keeps its text on the server's answer.
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) { return; }
  var unsent = false;
  var autosaveUrl = form.getAttribute('data-autosave');
  var status = document.getElementById('autosave-status');
  var timer = null;
  var changedSinceAutosave = false;

  function say(text) { if (status) { status.textContent = text; } }

  function autosave() {
    timer = null;
    if (!autosaveUrl || !changedSinceAutosave) { return; }
    changedSinceAutosave = false;
    var data = new URLSearchParams(new FormData(form));
    data.delete('action');
    fetch(autosaveUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: data.toString()
    }).then(function (response) {
      if (response.status === 204) {
        var now = new Date();
        say('Autosaved at ' + String(now.getHours()).padStart(2, '0') + ':' + String(now.getMinutes()).padStart(2, '0') + '.');
      } else if (response.status === 403) {
        changedSinceAutosave = true;
        say('Not autosaved: your session has ended. Sign in again in another tab; your text stays here.');
      } else {
        changedSinceAutosave = true;
        say('Not autosaved (the server answered ' + response.status + ').');
      }
    }).catch(function () {
      changedSinceAutosave = true;
      say('Not autosaved: the server cannot be reached.');
    });
  }

  function typed() {
    unsent = true;
    changedSinceAutosave = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(autosave, 3000);
  }
  form.addEventListener('input', typed);
  form.addEventListener('change', typed);
  form.addEventListener('submit', function () {
    unsent = false;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  window.addEventListener('beforeunload', function (event) {
    if (unsent) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
  document.addEventListener('keydown', function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === 's' || event.key === 'S')) {
      event.preventDefault();
      var save = form.querySelector('button[name="action"][value="save"]');
      if (save) {
        if (form.requestSubmit) { form.requestSubmit(save); } else { save.click(); }
      }
    }
  });
}());
