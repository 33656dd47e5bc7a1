// A live story's page: new, edited and deleted posts appear without a reload. The page is
// complete without this script; it only listens to the story's event stream
// (/_live/{id}) and, after any gap, fetches the page once to catch up.
(function () {
  'use strict';
  var live = document.querySelector('.live[data-story]');
  if (!live) { return; }
  var story = live.getAttribute('data-story');

  // A link to #post-N whose post has moved to an older page: its permalink finds it.
  var wanted = /^#post-(\d+)$/.exec(window.location.hash);
  if (wanted && !document.getElementById('post-' + wanted[1])) {
    window.location.replace('/article/' + story + '/post/' + wanted[1]);
    return;
  }

  var eventsUrl = live.getAttribute('data-live-events');
  if (!eventsUrl || !window.EventSource) { return; }
  var stream = document.getElementById('live-stream');
  var keyEvents = document.getElementById('key-events');
  var notice = document.getElementById('live-notice');

  function say(text) {
    if (notice) { notice.textContent = text; }
  }

  function element(html) {
    var holder = document.createElement('div');
    holder.innerHTML = html;
    return holder.firstElementChild;
  }

  function postedAt(node) {
    return Date.parse(node.getAttribute('data-posted')) || 0;
  }

  function updateKeyEvent(post) {
    if (!keyEvents) { return; }
    var list = keyEvents.querySelector('ol');
    var old = list.querySelector('li[data-post="' + post.id + '"]');
    if (old) { old.remove(); }
    if (post.pinned) {
      var item = document.createElement('li');
      item.setAttribute('data-post', String(post.id));
      var link = document.createElement('a');
      link.href = post.permalink;
      var time = document.createElement('time');
      time.setAttribute('datetime', post.key_datetime);
      time.textContent = post.key_time;
      link.appendChild(time);
      link.appendChild(document.createTextNode(' ' + post.key_text));
      item.appendChild(link);
      var before = null;
      Array.prototype.forEach.call(list.children, function (other) {
        var otherTime = Date.parse(other.querySelector('time').getAttribute('datetime')) || 0;
        if (!before && otherTime < post.posted_at) { before = other; }
      });
      list.insertBefore(item, before);
    }
    keyEvents.hidden = list.children.length === 0;
  }

  function show(post) {
    var fresh = element(post.html);
    if (!fresh) { return; }
    var old = document.getElementById('post-' + post.id);
    if (old) {
      old.replaceWith(fresh);
    } else {
      var empty = stream.querySelector('.live__empty');
      if (empty) { empty.remove(); }
      var before = null;
      Array.prototype.forEach.call(stream.children, function (other) {
        if (!before && postedAt(other) < post.posted_at) { before = other; }
      });
      // Older than everything on this page: it belongs on an older page.
      if (!before && stream.children.length > 0) { updateKeyEvent(post); return; }
      stream.insertBefore(fresh, before);
      fresh.classList.add('live-post--new');
      say('New update at ' + post.key_time + '.');
    }
    updateKeyEvent(post);
  }

  function remove(post) {
    var old = document.getElementById('post-' + post.id);
    if (old) { old.remove(); }
    updateKeyEvent({ id: post.id, pinned: false });
  }

  var source;
  function catchUp() {
    fetch(window.location.pathname, { headers: { accept: 'text/html' }, credentials: 'omit' })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        ['live-stream', 'key-events', 'live-status'].forEach(function (id) {
          var now = page.getElementById(id);
          var here = document.getElementById(id);
          if (now && here && now.outerHTML !== here.outerHTML) { here.replaceWith(document.importNode(now, true)); }
        });
        stream = document.getElementById('live-stream');
        keyEvents = document.getElementById('key-events');
        var nowLive = page.querySelector('.live[data-live-events]');
        if (!nowLive && source) { source.close(); }
      })
      .catch(function () { /* the next event or a reload will do */ });
  }

  source = new EventSource(eventsUrl);
  // The first opening catches up too: a post written between this page being served and the
  // stream opening would otherwise be missed. The page comes from the server's memory.
  var broken = true;
  source.addEventListener('post', function (event) { show(JSON.parse(event.data)); });
  source.addEventListener('removed', function (event) { remove(JSON.parse(event.data)); });
  source.addEventListener('catch-up', catchUp);
  source.addEventListener('error', function () { broken = true; });
  source.addEventListener('open', function () {
    if (broken) { broken = false; catchUp(); }
  });
  live.setAttribute('data-listening', 'yes');
}());
