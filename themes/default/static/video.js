// A platform's video (YouTube, Vimeo) on an article page: the page shows a facade, a link
// to the video on its platform, and loads nothing from the platform until the reader
// clicks; then the facade becomes the platform's player, from its privacy-enhanced address.
// Without this script the link simply opens the video on the platform.
(function () {
  'use strict';
  var facades = document.querySelectorAll('.video__facade[data-embed]');
  Array.prototype.forEach.call(facades, function (facade) {
    var play = facade.querySelector('.video__play');
    if (!play) { return; }
    play.addEventListener('click', function (event) {
      event.preventDefault();
      var frame = document.createElement('iframe');
      frame.src = facade.getAttribute('data-embed');
      frame.title = facade.getAttribute('data-title') || 'Video';
      frame.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
      frame.allowFullscreen = true;
      frame.referrerPolicy = 'strict-origin-when-cross-origin';
      frame.className = 'video__frame';
      facade.replaceChildren(frame);
      frame.focus();
    });
  });
})();
