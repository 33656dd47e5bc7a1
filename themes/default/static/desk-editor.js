// The story editor: what is typed is autosaved a few seconds after typing stops (kept in the
// story's history as an autosave, never written to the story by itself), Ctrl+S (⌘+S) saves,
// and leaving the page with edits not yet sent asks first. On the new-story screen the first
// autosave stores the story as a draft, and the screen becomes that story's editor (its form,
// its address, its later autosaves), so a new story is never lost before its first save. The
// form works the same without this script; a form sent after the session ended keeps its text
// on the server's answer.
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) { return; }
  var unsent = false;
  var autosaveUrl = form.getAttribute('data-autosave');
  var createUrl = form.getAttribute('data-autosave-new');
  // While the new story's first autosave is on its way, a Save waits for it, so that one
  // story is stored, not two.
  var creating = null;
  var heldSubmitter = null;
  var status = document.getElementById('autosave-status');
  var timer = null;
  var changedSinceAutosave = false;

  function say(text) { if (status) { status.textContent = text; } }

  function savedAt() {
    var now = new Date();
    say('Autosaved at ' + String(now.getHours()).padStart(2, '0') + ':' + String(now.getMinutes()).padStart(2, '0') + '.');
  }

  function failed(response) {
    changedSinceAutosave = true;
    if (response.status === 403) {
      say('Not autosaved: your session has ended. Sign in again in another tab; your text stays here.');
    } else {
      say('Not autosaved (the server answered ' + response.status + ').');
    }
  }

  // The new story is stored: from now on this screen edits it.
  function becameStory(answer) {
    createUrl = null;
    autosaveUrl = answer.autosave;
    form.setAttribute('action', answer.edit);
    form.removeAttribute('data-autosave-new');
    form.setAttribute('data-autosave', answer.autosave);
    var version = form.querySelector('input[name="version"]');
    if (version) { version.value = String(answer.version); }
    if (window.history && window.history.replaceState) { window.history.replaceState(null, '', answer.edit); }
  }

  function autosave() {
    timer = null;
    var url = autosaveUrl || createUrl;
    if (!url || !changedSinceAutosave || creating) { return; }
    changedSinceAutosave = false;
    var data = new URLSearchParams(new FormData(form));
    data.delete('action');
    var sent = fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: data.toString()
    }).then(function (response) {
      if (response.status === 201 && url === createUrl) {
        return response.json().then(function (answer) { becameStory(answer); savedAt(); });
      }
      if (response.status === 204) { savedAt(); } else { failed(response); }
    }).catch(function () {
      changedSinceAutosave = true;
      say('Not autosaved: the server cannot be reached.');
    });
    if (url === createUrl) {
      creating = sent.then(function () {
        creating = null;
        if (heldSubmitter !== null) {
          var submitter = heldSubmitter;
          heldSubmitter = null;
          if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
        }
      });
    }
  }

  function typed() {
    unsent = true;
    changedSinceAutosave = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(autosave, 3000);
  }
  form.addEventListener('input', typed);
  form.addEventListener('change', typed);
  form.addEventListener('submit', function (event) {
    if (creating) {
      event.preventDefault();
      heldSubmitter = event.submitter || false;
      return;
    }
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
