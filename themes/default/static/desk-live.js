// The live desk's posting box: Ctrl+Enter (⌘+Enter) sends the post, and with this script it
// is sent without reloading the screen. The form works the same without it. What was typed
// is cleared only once the server has taken the post; on any failure it stays in the box.
(function () {
  'use strict';
  var box = document.getElementById('live-box');
  if (!box) { return; }
  var body = box.querySelector('textarea[name="body"]');
  var status = document.getElementById('live-box-status');
  var sending = false;

  function say(text) { status.textContent = text; }

  function refreshStream() {
    return fetch(window.location.pathname, { credentials: 'same-origin' })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var fresh = page.getElementById('live-desk-stream');
        var here = document.getElementById('live-desk-stream');
        if (fresh && here) { here.replaceWith(document.importNode(fresh, true)); }
      });
  }

  function send() {
    if (sending) { return; }
    if (!body.value.trim()) { say('Write the post before sending it.'); body.focus(); return; }
    sending = true;
    say('Sending…');
    var data = new URLSearchParams(new FormData(box));
    fetch(box.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: data.toString()
    }).then(function (response) {
      if (response.status === 201) {
        box.querySelector('input[name="title"]').value = '';
        body.value = '';
        box.querySelector('input[name="pinned"]').checked = false;
        box.querySelector('select[name="photo"]').value = '';
        say('Posted.');
        body.focus();
        return refreshStream();
      }
      if (response.status === 422) {
        return response.json().then(function (refused) { say(refused.errors.join(' ')); });
      }
      if (response.status === 403 || response.status === 401) {
        say('Not posted: your session has ended. Sign in again in another tab, then send again; your text is kept here.');
        return null;
      }
      say('Not posted (the server answered ' + response.status + '). Your text is kept; try again.');
      return null;
    }).catch(function () {
      say('Not posted: the server cannot be reached. Your text is kept; try again.');
    }).then(function () { sending = false; });
  }

  box.addEventListener('submit', function (event) { event.preventDefault(); send(); });
  box.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); send(); }
  });
}());
