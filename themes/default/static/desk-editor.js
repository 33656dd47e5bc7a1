// The story editor: Ctrl+S (⌘+S) saves, and leaving the page with edits not yet sent asks
// first. The form works the same without this script; a form sent after the session ended
// keeps its text on the server's answer either way.
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) { return; }
  var unsent = false;
  form.addEventListener('input', function () { unsent = true; });
  form.addEventListener('change', function () { unsent = true; });
  form.addEventListener('submit', function () { unsent = false; });
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
