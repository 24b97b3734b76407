/**
 * The HTML report's script, inline and dependency-free:
 * - hover (or tap, on a phone) anything drawn: a tooltip from its <title>, kept inside the
 *   viewport; hovering an order highlights all of its messages, marks, bar and table row;
 * - clicking a step of an explanation scrolls the diagram to its event;
 * - "only the explained orders" hides every other order's messages, marks, bars and rows;
 * - "find" marks every message, mark, bar and row of an order ("o7") or a unit ("vase#3").
 */
export const SCRIPT = `
(function () {
  var tip = document.getElementById('tip');
  var EDGE = 6;
  function titled(el) {
    while (el && el !== document) {
      if (el.querySelector) { var t = el.querySelector(':scope > title'); if (t) return t.textContent; }
      el = el.parentNode;
    }
    return null;
  }
  function place(x, y) {
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - EDGE);
    var top = y + 14 + h > window.innerHeight - EDGE ? y - h - 14 : y + 14;
    tip.style.left = Math.max(EDGE, left) + 'px';
    tip.style.top = Math.max(EDGE, Math.min(top, window.innerHeight - h - EDGE)) + 'px';
  }
  function show(target, x, y) {
    var text = titled(target);
    if (!text) { tip.style.display = 'none'; return; }
    tip.textContent = text;
    tip.style.display = 'block';
    place(x, y);
  }
  function highlight(order, on) {
    if (!order) return;
    document.querySelectorAll('[data-order]').forEach(function (el) {
      if (el.getAttribute('data-order') === order) el.classList.toggle('hl', on);
    });
  }
  function holderOf(el) { return el.closest ? el.closest('[data-order]') : null; }
  document.addEventListener('mouseover', function (ev) {
    show(ev.target, ev.clientX, ev.clientY);
    var holder = holderOf(ev.target);
    if (holder) highlight(holder.getAttribute('data-order'), true);
  });
  document.addEventListener('mouseout', function (ev) {
    var holder = holderOf(ev.target);
    if (holder) highlight(holder.getAttribute('data-order'), false);
  });
  document.addEventListener('mousemove', function (ev) {
    if (tip.style.display === 'block') place(ev.clientX, ev.clientY);
  });
  // A phone has no hover: a tap shows the tooltip until the next tap.
  document.addEventListener('click', function (ev) {
    if (ev.target.closest && ev.target.closest('svg')) show(ev.target, ev.clientX, ev.clientY);
    else tip.style.display = 'none';
  });
  document.querySelectorAll('.chain li').forEach(function (li) {
    li.addEventListener('click', function () {
      var i = li.getAttribute('data-i');
      var el = document.querySelector('.spacetime [data-covers~="' + i + '"]');
      if (el && el.scrollIntoView) el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'smooth' });
    });
  });
  var only = document.getElementById('only-focus');
  if (only) only.addEventListener('change', function () { document.body.classList.toggle('only-focus', only.checked); });
  var find = document.getElementById('find');
  var found = document.getElementById('found');
  function search() {
    document.querySelectorAll('.found').forEach(function (el) { el.classList.remove('found'); });
    var q = find.value.trim().toLowerCase();
    if (q === '') { found.textContent = ''; return; }
    var hits = [];
    document.querySelectorAll('[data-order], [data-units]').forEach(function (el) {
      var o = (el.getAttribute('data-order') || '').toLowerCase();
      var units = (el.getAttribute('data-units') || '').toLowerCase().split(' ');
      if (o === q || units.indexOf(q) >= 0) { el.classList.add('found'); hits.push(el); }
    });
    found.textContent = hits.length === 0 ? 'nothing found' : hits.length + (hits.length === 1 ? ' match' : ' matches');
    var first = hits.find(function (el) { return el.closest('svg'); }) || hits[0];
    if (first && first.scrollIntoView) first.scrollIntoView({ block: 'center', inline: 'center' });
  }
  if (find) find.addEventListener('input', search);
})();
`;
