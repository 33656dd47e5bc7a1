// The photo screen's focal point: a click on the photo fills "across" and "down" with where
// it landed (in percent of the picture) and marks the spot, so the editor sees what the crops
// will centre on before saving. Without this script the two number fields do the same.
(function () {
  'use strict';
  var photo = document.getElementById('photo-preview');
  var mark = document.getElementById('focal-mark');
  var across = document.getElementById('focal_x');
  var down = document.getElementById('focal_y');
  if (!photo || !mark || !across || !down) { return; }

  function show() {
    var x = Number(across.value), y = Number(down.value);
    if (!isFinite(x) || !isFinite(y) || across.value === '' || down.value === '') { mark.hidden = true; return; }
    mark.style.left = Math.min(100, Math.max(0, x)) + '%';
    mark.style.top = Math.min(100, Math.max(0, y)) + '%';
    mark.hidden = false;
  }

  photo.classList.add('focal-target');
  photo.addEventListener('click', function (event) {
    var box = photo.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) { return; }
    across.value = Math.round(Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)) * 100);
    down.value = Math.round(Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)) * 100);
    show();
    across.focus();
  });
  across.addEventListener('input', show);
  down.addEventListener('input', show);
  show();
}());
