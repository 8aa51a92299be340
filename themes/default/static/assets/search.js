/* communique search page: queries the Pagefind index in pagefind/ from the browser.
   The page works without this script only as far as saying that search needs it. The
   index is loaded with fetch(), which browsers refuse for pages opened from disk, so a
   file:// page says plainly that search needs a web server. Every message is the
   template's, in the page's language: data- attributes of the status line, a count's
   plural forms as data-<name>-<CLDR category>, chosen by the page's plural rules. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) return;
  var form = app.querySelector("form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var selects = Array.prototype.slice.call(app.querySelectorAll("select[data-filter]"));
  var params = new URLSearchParams(location.search);
  var MAX_SHOWN = 50;

  function say(name) { status.textContent = status.getAttribute("data-" + name) || ""; }

  var plurals = null;
  try { plurals = new Intl.PluralRules(document.documentElement.lang || undefined); } catch (e) { /* not a locale */ }

  /* The form of message `name` for `count`, its {count} and {shown} filled in. */
  function sayCount(name, count, shown) {
    var category = plurals ? plurals.select(count) : "other";
    var text = status.getAttribute("data-" + name + "-" + category) || status.getAttribute("data-" + name + "-other") || "";
    status.textContent = text.replace(/\{(count|shown)\}/g, function (_, n) { return String(n === "count" ? count : shown); });
  }

  function disable() {
    input.disabled = true;
    selects.forEach(function (s) { s.disabled = true; });
    app.querySelector("button").disabled = true;
    more.hidden = true;
  }

  if (location.protocol === "file:") {
    disable();
    say("file");
    return;
  }

  var bundle = new URL(app.getAttribute("data-bundle"), location.href);
  var root = new URL(app.getAttribute("data-root"), location.href);
  // Large sites split the index into shards, merged here into one search.
  var shards = (app.getAttribute("data-shards") || "").split(" ").filter(Boolean)
    .map(function (s) { return new URL(s, location.href).pathname; });
  var pagefind = null;
  var ticket = 0;
  var found = [];
  var timer = null;

  say("loading");
  import(new URL("pagefind.js", bundle).href)
    .then(function (module) {
      pagefind = module;
      return pagefind.options({ basePath: bundle.pathname, baseUrl: root.pathname, excerptLength: 24 });
    })
    .then(function () {
      return Promise.all(shards.map(function (s) { return pagefind.mergeIndex(s, { baseUrl: root.pathname }); }));
    })
    .then(function () { return pagefind.filters(); })
    .then(function (filters) {
      selects.forEach(function (select) { fillFilter(select, filters[select.getAttribute("data-filter")] || {}); });
      input.value = params.get("q") || "";
      form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
      selects.forEach(function (s) { s.addEventListener("change", run); });
      run();
    })
    .catch(function () {
      disable();
      say("load-failed");
    });

  /* The index holds filter values HTML-escaped, because Pagefind's ready-made interface
     inserts them as HTML. Here they are shown as text and kept in the address as
     written, while the escaped value is the one a search filters by. communique escapes
     exactly these five characters. */
  var ESCAPED = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'" };
  function unescapeValue(value) {
    return value.replace(/&(?:amp|lt|gt|quot|#39);/g, function (entity) { return ESCAPED[entity]; });
  }

  function fillFilter(select, counts) {
    var wanted = params.get(select.getAttribute("data-filter")) || "";
    var values = Object.keys(counts).sort(function (a, b) {
      a = unescapeValue(a);
      b = unescapeValue(b);
      return select.getAttribute("data-filter") === "year" ? b.localeCompare(a) : a.localeCompare(b);
    });
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = unescapeValue(value) + " (" + counts[value] + ")";
      option.selected = unescapeValue(value) === wanted;
      select.appendChild(option);
    });
    select.closest(".search-filter").hidden = values.length === 0;
  }

  function chosenFilters() {
    var chosen = {};
    selects.forEach(function (s) { if (s.value) chosen[s.getAttribute("data-filter")] = s.value; });
    return chosen;
  }

  function remember(query, filters) {
    var next = new URLSearchParams();
    if (query) next.set("q", query);
    Object.keys(filters).forEach(function (k) { next.set(k, unescapeValue(filters[k])); });
    var search = next.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function run() {
    var query = input.value.trim();
    var filters = chosenFilters();
    remember(query, filters);
    var mine = ++ticket;
    more.hidden = true;
    if (!query && Object.keys(filters).length === 0) {
      list.replaceChildren();
      say("prompt");
      return;
    }
    say("searching");
    (query ? pagefind.search(query, { filters: filters }).then(function (s) { return s.results; }) : listing(filters))
      .then(function (results) {
        if (mine !== ticket) return;
        found = results;
        return showMore(mine, 0);
      })
      .catch(function () { if (mine === ticket) say("failed"); });
  }

  /* Lists the next MAX_SHOWN of the results found, after the `from` already listed (the
     list is replaced when `from` is 0), and says how many there are. */
  function showMore(mine, from) {
    more.disabled = true;
    var next = found.slice(from, from + MAX_SHOWN);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== ticket) return;
      var added = items.map(item);
      if (from === 0) list.replaceChildren.apply(list, added);
      else added.forEach(function (li) { list.appendChild(li); });
      var shown = from + added.length;
      if (found.length === 0) say("none");
      else if (found.length > shown) sayCount("more", found.length, shown);
      else sayCount("results", found.length);
      more.hidden = shown >= found.length;
      more.disabled = false;
      // Keyboard and screen reader users go on reading at the first result added.
      if (from > 0 && added.length) added[0].querySelector("a").focus();
    });
  }

  more.addEventListener("click", function () {
    var mine = ticket;
    showMore(mine, list.children.length).catch(function () { if (mine === ticket) say("failed"); });
  });

  /* Everything the filters match: the reports newest first, then the people and cities in
     the order of the index. Pagefind's sort leaves out every page without the sort key,
     and only reports have a date, so the reports come from a search sorted by date and
     the other pages from one without a sort. A merged index ranks results by score, not
     date, so each shard (newest reports first; people and cities in the last) is asked
     on its own, in order. */
  function listing(filters) {
    var dated = [];
    var undated = [];
    for (var n = 1; n <= shards.length + 1; n++) {
      var own = Object.assign({}, filters, { shard: String(n) });
      if (filters.type !== "Person" && filters.type !== "City") {
        dated.push(pagefind.search(null, { filters: own, sort: { date: "desc" } }));
      }
      if (filters.type !== "Report") undated.push(pagefind.search(null, { filters: own }));
    }
    var asks = dated.concat(undated);
    return Promise.all(asks).then(function (searches) {
      var seen = {};
      var all = [];
      searches.forEach(function (s) {
        s.results.forEach(function (r) {
          if (!seen[r.id]) all.push(r);
          seen[r.id] = true;
        });
      });
      return all;
    });
  }

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.className = "result-title";
    link.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(link);
    var about = [data.meta && data.meta.kind, formatDate(data.meta && data.meta.date)].filter(Boolean);
    if (about.length) {
      var meta = document.createElement("p");
      meta.className = "result-meta";
      meta.textContent = about.join(" · ");
      li.appendChild(meta);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "result-excerpt";
    appendExcerpt(excerpt, data.excerpt || "");
    li.appendChild(excerpt);
    return li;
  }

  /* Pagefind marks matches with <mark>; keep those and nothing else of the markup. */
  function appendExcerpt(into, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function formatDate(iso) {
    if (!iso) return "";
    var date = new Date(iso + "T00:00:00Z");
    if (isNaN(date)) return iso;
    return date.toLocaleDateString(document.documentElement.lang || undefined,
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }
})();
