/* conflict-kg page script. Article text only ever enters the page through textContent:
   no innerHTML, no HTML strings, links only to Wikidata and GeoNames after a pattern check. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var status = { ready: false, readyAt: null, nodes: nodes.length, edges: edges.length, network: network,
                 nodeSet: nodes, edgeSet: edges, shown: null };
  window.kg = status;
  window.network = network; // the name pyvis pages use, for scripts written against them

  network.once("afterDrawing", function () {
    status.ready = true;
    status.readyAt = performance.now();
    document.body.setAttribute("data-kg-ready", "1");
  });
  // Central nodes carry large label fonts so they read with the whole graph in view; zoomed in,
  // vis-network would draw them huge, so cap them at MAX_LABEL screen pixels (only those nodes).
  var MAX_LABEL = 22;
  var baseFont = {};
  data.nodes.forEach(function (n) { if (n.font && n.font.size > 14) { baseFont[n.id] = n.font.size; } });
  var shownFont = {};
  var cappedAt = null;
  function capLabels() {
    var scale = network.getScale();
    if (scale === cappedAt) { return; }
    cappedAt = scale;
    var limit = Math.max(12, MAX_LABEL / scale);
    var changes = [];
    Object.keys(baseFont).forEach(function (id) {
      var want = Math.min(baseFont[id], limit);
      if (shownFont[id] !== want) { shownFont[id] = want; changes.push({ id: id, font: { size: want } }); }
    });
    if (changes.length) { nodes.update(changes); }
  }
  // after every drawing, not on "zoom": fit() and focus() change the scale without a zoom event
  network.on("afterDrawing", capLabels);
  network.fit({ animation: false });
  capLabels();

  var SAFE_LINK = /^https?:\/\/(www\.wikidata\.org\/entity\/Q[0-9]+|sws\.geonames\.org\/[0-9]+\/?)$/;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function nodeButton(id, text) {
    var b = el("button", text, "link");
    b.type = "button";
    b.addEventListener("click", function () { select(id); });
    return b;
  }

  function facts(rows) {
    var dl = el("dl", null, "facts");
    rows.forEach(function (row) {
      dl.appendChild(el("dt", row[0]));
      dl.appendChild(el("dd", row[1]));
    });
    return dl;
  }

  function show(id) {
    var d = data.details[id];
    var box = document.getElementById("kg-details");
    clear(box);
    if (!d) { return; }
    status.shown = id;
    box.appendChild(el("h2", d.label));
    box.appendChild(el("p", d.kind, "kind"));
    if (d.facts.length) { box.appendChild(facts(d.facts)); }
    d.links.forEach(function (link) {
      if (!SAFE_LINK.test(link[1])) { return; }
      var a = el("a", link[0] + ": " + link[1].replace(/^https?:\/\//, ""));
      a.href = link[1];
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      var p = el("p");
      p.appendChild(a);
      box.appendChild(p);
    });
    if (d.counts.length) {
      box.appendChild(el("h3", "Counts"));
      box.appendChild(facts(d.counts));
    }
    box.appendChild(el("h3", "Read in"));
    if (!d.sources.length) { box.appendChild(el("p", "No mention recorded.", "hint")); }
    d.sources.forEach(function (s) {
      var q = el("blockquote", null, "source");
      q.appendChild(document.createTextNode(s.before));
      q.appendChild(el("mark", s.anchor));
      q.appendChild(document.createTextNode(s.after));
      q.appendChild(el("cite", s.headline + (s.date ? " (" + s.date + ")" : "")));
      box.appendChild(q);
    });
    if (d.more > 0) { box.appendChild(el("p", "… and " + d.more + " more mention(s).", "hint")); }
    var linked = network.getConnectedEdges(id);
    if (linked.length) {
      box.appendChild(el("h3", "Linked on this page (" + linked.length + ")"));
      linked.slice(0, 60).forEach(function (eid) {
        var e = edges.get(eid);
        var other = e.from === id ? e.to : e.from;
        var arrow = e.from === id ? "→ " : "← ";
        box.appendChild(nodeButton(other, arrow + (e.label || "") + ": " + (data.details[other] || {}).label));
      });
    }
    box.appendChild(el("p", d.iri, "iri"));
  }

  function select(id) {
    if (!nodes.get(id)) { return; }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    capLabels();
    show(id);
  }
  status.select = select;

  network.on("click", function (params) {
    if (params.nodes.length) { show(params.nodes[0]); }
  });

  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: false });
    capLabels();
  });

  var results = document.getElementById("kg-results");
  document.getElementById("kg-search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    clear(results);
    if (q.length < 2) { return; }
    var hits = data.nodes.filter(function (n) {
      return (data.details[n.id] || {}).label.toLowerCase().indexOf(q) >= 0;
    });
    hits.sort(function (a, b) { return b.value - a.value; });
    hits.slice(0, 12).forEach(function (n) {
      results.appendChild(nodeButton(n.id, data.details[n.id].label + " (" + data.details[n.id].kind + ")"));
    });
    if (!hits.length) { results.appendChild(el("p", "Nothing on this page by that name.", "hint")); }
  });

  var top = document.getElementById("kg-top-list");
  data.top.forEach(function (id) {
    var li = el("li");
    li.appendChild(nodeButton(id, data.details[id].label + " (" + data.details[id].kind + ")"));
    top.appendChild(li);
  });
})();
