/* Submit page: dcc.Upload drops a file over its max_size, or of a type outside its accept
 * list, without a callback, so the partner saw nothing happen. Before the drop zone handles
 * a chosen or dropped file, check it and show the page's bilingual message
 * (#submit-too-large: texts, limit and types rendered by the server), or hide the message
 * again for an acceptable file. Local file, no network. */
(function () {
  function wrongType(file, accept) {
    var name = file.name.toLowerCase();
    return !accept.some(function (ext) { return name.endsWith(ext); });
  }
  function say(note, template, file) {
    note.textContent = note.getAttribute(template)
      .replace('{name}', file.name)
      .replace('{size}', String(Math.ceil(file.size / 1024)));
    note.hidden = false;
  }
  function check(files, zone) {
    var note = document.getElementById('submit-too-large');
    if (!note || !files || !files.length || !zone) {
      return;
    }
    var limit = Number(note.getAttribute('data-max-bytes'));
    var accept = (note.getAttribute('data-accept') || '').toLowerCase().split(',')
      .filter(function (ext) { return ext; });
    var list = Array.prototype.slice.call(files);
    var odd = list.filter(function (f) { return wrongType(f, accept); });
    var big = list.filter(function (f) { return f.size > limit; });
    if (odd.length) {
      say(note, 'data-message-type', odd[0]);
    } else if (big.length) {
      say(note, 'data-message', big[0]);
    } else {
      note.hidden = true;
      note.textContent = '';
    }
  }
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (input && input.type === 'file') {
      check(input.files, input.closest('#submit-upload'));
    }
  }, true);
  document.addEventListener('drop', function (event) {
    var zone = event.target && event.target.closest && event.target.closest('#submit-upload');
    check(event.dataTransfer && event.dataTransfer.files, zone);
  }, true);
})();
