// Writing the body: a toolbar of Markdown marks (bold, italic, link, quote, heading, list)
// above the body, Ctrl+B and Ctrl+I (⌘ on a Mac), a preview beside the body (drawn by the
// server with the reader page's own renderer and sanitizer, /desk/preview-body, a moment
// after typing stops), and the body's length kept current under it ("412 words, about 2 min
// to read", counted as the server counts: what whitespace separates and holds a letter or a
// digit). Without this script the body is the plain Markdown box it always was, the story's
// preview page remains, and the length is the one the page was drawn with.
(function () {
  'use strict';
  var body = document.getElementById('body');
  var length = document.getElementById('body-length');
  if (!body) { return; }
  var WORDS_PER_MINUTE = 230;
  var wordish = /[\p{L}\p{N}]/u;

  function describeLength() {
    if (!length) { return; }
    var words = body.value.split(/\s+/).filter(function (token) { return wordish.test(token); }).length;
    if (words === 0) {
      length.textContent = 'No words yet.';
    } else if (words === 1) {
      length.textContent = '1 word, about 1 min to read.';
    } else {
      length.textContent = words + ' words, about ' + Math.ceil(words / WORDS_PER_MINUTE) + ' min to read.';
    }
  }

  // A change the browser can undo, announced to the autosave like typing.
  function replace(start, end, text, selectFrom, selectTo) {
    body.focus();
    body.setSelectionRange(start, end);
    if (!document.execCommand || !document.execCommand('insertText', false, text)) {
      body.setRangeText(text, start, end, 'end');
      body.dispatchEvent(new Event('input', { bubbles: true }));
    }
    body.setSelectionRange(selectFrom, selectTo);
  }

  // Marks around the selection (or around a placeholder, selected so typing replaces it).
  function wrap(before, after, placeholder) {
    var start = body.selectionStart, end = body.selectionEnd;
    var chosen = body.value.slice(start, end) || placeholder;
    replace(start, end, before + chosen + after, start + before.length, start + before.length + chosen.length);
  }

  function link() {
    var start = body.selectionStart, end = body.selectionEnd;
    var text = body.value.slice(start, end) || 'link text';
    var address = 'https://';
    var inserted = '[' + text + '](' + address + ')';
    var at = start + text.length + 3;
    replace(start, end, inserted, at, at + address.length);
  }

  // A mark at the start of every line the selection touches.
  function prefixLines(mark) {
    var value = body.value;
    var start = value.lastIndexOf('\n', body.selectionStart - 1) + 1;
    var endAt = value.indexOf('\n', body.selectionEnd);
    var end = endAt === -1 ? value.length : endAt;
    var lines = value.slice(start, end).split('\n').map(function (line) { return mark + line; }).join('\n');
    replace(start, end, lines, start + lines.length, start + lines.length);
  }

  // The preview beside the body, drawn again a moment after typing stops while it is open.
  var preview = null;
  var previewTimer = null;
  var csrf = body.form && body.form.querySelector('input[name=csrf]');

  function drawPreview() {
    if (!preview || preview.hidden || !csrf) { return; }
    var data = new URLSearchParams();
    data.set('csrf', csrf.value);
    data.set('body', body.value);
    fetch('/desk/preview-body', { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok, status: response.status, text: text }; });
      })
      .then(function (answer) {
        if (answer.ok) {
          // The server's renderer and sanitizer made it: the same HTML readers get.
          preview.innerHTML = answer.text;
          preview.removeAttribute('data-problem');
        } else {
          preview.setAttribute('data-problem', 'yes');
          preview.textContent = answer.status === 403
            ? 'No preview: your session has ended. Sign in again in another tab; your text stays here.'
            : 'No preview (the server answered ' + answer.status + ').';
        }
      })
      .catch(function () { preview.textContent = 'No preview: the server cannot be reached.'; });
  }

  function togglePreview(button) {
    if (!preview) {
      var pair = document.createElement('div');
      pair.className = 'writing-pair';
      body.parentNode.insertBefore(pair, body);
      pair.appendChild(body);
      preview = document.createElement('div');
      preview.className = 'body-preview story__body';
      preview.id = 'body-preview';
      preview.setAttribute('aria-label', 'Preview of the body');
      preview.setAttribute('role', 'region');
      preview.hidden = true;
      pair.appendChild(preview);
    }
    preview.hidden = !preview.hidden;
    button.setAttribute('aria-pressed', preview.hidden ? 'false' : 'true');
    preview.parentNode.classList.toggle('writing-pair--open', !preview.hidden);
    drawPreview();
  }

  var tools = [
    ['Bold', function () { wrap('**', '**', 'bold text'); }],
    ['Italic', function () { wrap('_', '_', 'italic text'); }],
    ['Link', link],
    ['Quote', function () { prefixLines('> '); }],
    ['Heading', function () { prefixLines('## '); }],
    ['List', function () { prefixLines('- '); }],
    ['Preview', function () { togglePreview(this); }],
  ];
  var bar = document.createElement('div');
  bar.className = 'writing-tools';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Formatting');
  bar.setAttribute('aria-controls', 'body');
  tools.forEach(function (tool) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = tool[0];
    if (tool[0] === 'Preview') { button.setAttribute('aria-pressed', 'false'); }
    button.addEventListener('click', tool[1]);
    bar.appendChild(button);
  });
  body.parentNode.insertBefore(bar, body);

  body.addEventListener('keydown', function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
    var key = event.key.toLowerCase();
    if (key === 'b') { event.preventDefault(); wrap('**', '**', 'bold text'); }
    if (key === 'i') { event.preventDefault(); wrap('_', '_', 'italic text'); }
  });
  body.addEventListener('input', describeLength);
  body.addEventListener('input', function () {
    if (!preview || preview.hidden) { return; }
    clearTimeout(previewTimer);
    previewTimer = setTimeout(drawPreview, 600);
  });
  describeLength();
})();
