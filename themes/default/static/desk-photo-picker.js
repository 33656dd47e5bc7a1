// The editor's photo picker in a dialog: the library page (/desk/photos/pick) is fetched and
// shown over the editor, its search, pages and upload stay inside the dialog, and choosing
// fills the editor's form in place (the lead photo field, or the body at the cursor) instead
// of leaving the page, so nothing typed is left behind. Without this script the link opens
// the picker as a page of its own, which works the same with a save in between.
(function () {
  'use strict';
  var link = document.querySelector('a.photo-picker-link');
  var form = document.querySelector('form.editor');
  if (!link || !form || typeof HTMLDialogElement === 'undefined') { return; }
  var dialog = document.createElement('dialog');
  dialog.className = 'photo-picker-dialog';
  dialog.setAttribute('aria-label', 'Photos from the library');
  document.body.appendChild(dialog);

  function changed(field) {
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function chooseLead(id, caption) {
    var select = document.getElementById('lead_media');
    if (!select) { return; }
    var option = select.querySelector('option[value="' + id + '"]');
    if (!option) {
      option = document.createElement('option');
      option.value = id;
      option.textContent = caption || ('Photo ' + id);
      select.appendChild(option);
    }
    select.value = id;
    changed(select);
  }

  function placeInBody(markdown) {
    var body = document.getElementById('body');
    if (!body) { return; }
    var start = body.selectionStart || 0;
    var end = body.selectionEnd || start;
    var before = body.value.slice(0, start).replace(/\s*$/, '');
    var after = body.value.slice(end).replace(/^\s*/, '');
    var block = (before ? '\n\n' : '') + markdown + (after ? '\n\n' : '');
    body.value = before + block + after;
    var caret = (before + block).length;
    body.setSelectionRange(caret, caret);
    changed(body);
  }

  function show(html) {
    var page = new DOMParser().parseFromString(html, 'text/html');
    var picker = page.querySelector('.photo-picker');
    dialog.textContent = '';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'secondary photo-picker-dialog__close';
    close.textContent = 'Close';
    close.addEventListener('click', function () { dialog.close(); });
    dialog.appendChild(close);
    if (!picker) {
      var problem = document.createElement('p');
      problem.textContent = 'The library could not be opened here; use the link to open it as a page.';
      dialog.appendChild(problem);
      return;
    }
    dialog.appendChild(document.importNode(picker, true));
    dialog.querySelectorAll('.place-in-body, .pick-lead-in-form').forEach(function (button) { button.hidden = false; });
  }

  function load(url, options) {
    return fetch(url, Object.assign({ credentials: 'same-origin' }, options || {}))
      .then(function (response) { return response.text(); })
      .then(show)
      .catch(function () { show(''); });
  }

  link.addEventListener('click', function (event) {
    event.preventDefault();
    load(link.href).then(function () { if (!dialog.open) { dialog.showModal(); } });
  });

  dialog.addEventListener('click', function (event) {
    var target = event.target;
    var lead = target.closest && target.closest('.pick-lead-in-form');
    if (lead) {
      chooseLead(lead.getAttribute('data-photo'), lead.getAttribute('data-caption'));
      dialog.close();
      return;
    }
    var place = target.closest && target.closest('.place-in-body');
    if (place) {
      placeInBody(place.getAttribute('data-markdown'));
      dialog.close();
      return;
    }
    var pager = target.closest && target.closest('.pager a, .photo-picker__back');
    if (pager && pager.classList.contains('photo-picker__back')) {
      event.preventDefault();
      dialog.close();
    } else if (pager) {
      event.preventDefault();
      load(pager.href);
    }
  });

  dialog.addEventListener('submit', function (event) {
    var sent = event.target;
    event.preventDefault();
    if (sent.classList.contains('pick-lead')) {
      var id = sent.getAttribute('action').split('/')[3];
      chooseLead(id, sent.getAttribute('data-caption'));
      dialog.close();
    } else if (sent.method.toLowerCase() === 'get') {
      load(sent.action + '?' + new URLSearchParams(new FormData(sent)).toString());
    } else {
      load(sent.action, { method: 'POST', body: new FormData(sent) });
    }
  });
})();
