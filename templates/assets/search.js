/* The search page (templates/search.html, generator/search/page.py).

   Pagefind's JavaScript API does the searching, over this language's bundle
   (settings.bundle): nothing is loaded from anywhere but the site. This file
   is the form around it: a labelled field, filters by topic and kind of page,
   newest first as an option, the number of results said in a live region,
   results as links with their kind, date and an excerpt. ?q=WORDS (and topic,
   kind, sort) in the address opens the page with those results; the address
   follows each search, so it can be kept or shared. Every message comes from
   the page, in its language (the site's catalogues).

   A filter is a word of the index (generator/search/facets.py): each page
   holds the words of its kind and topics in a metadata field, "facets",
   which counts for nothing in the ranking; a filtered search adds the
   words of the chosen values before the reader's words. */
(function () {
  "use strict";

  var root = document.querySelector("[data-search]");
  var settingsNode = document.getElementById("search-settings");
  if (!root || !settingsNode) return;
  var settings = JSON.parse(settingsNode.textContent);
  var messages = settings.messages;
  var lang = document.documentElement.lang || "en";
  var form = root.querySelector("[data-search-form]");
  var input = form.querySelector("input[name=q]");
  var sort = form.querySelector("select[name=sort]");
  var facetSelects = Array.prototype.slice.call(form.querySelectorAll("select[data-search-facet]"));
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var PAGE = 10; // results loaded at a time: each is a fragment file of the bundle
  var DEBOUNCE_MS = 300;
  var numbers = new Intl.NumberFormat(lang);
  var plurals = new Intl.PluralRules(lang);

  root.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;
  // In `briefing serve` (its page script defines this plugin), the index is
  // made again in the background after a save: say that results can lag.
  if (window.LiveReloadPluginBriefingBuild) root.querySelector("[data-search-preview]").hidden = false;

  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = import(settings.bundle + "pagefind.js").then(function (module) {
        // The index's URLs are relative to the site root: baseUrl puts them under the site's path.
        // The facet words and the date decide nothing of the order (metaWeights 0).
        return module.options({
          basePath: settings.bundle, baseUrl: settings.base, ranking: { metaWeights: { facets: 0, date: 0 } },
        }).then(function () {
          return module;
        });
      });
    }
    return loading;
  }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function plural(forms, count) {
    var keys = Object.keys(forms);
    return forms[plurals.select(count)] || forms.other || forms[keys[keys.length - 1]];
  }

  function wanted() {
    var filters = {};
    var words = [];
    facetSelects.forEach(function (select) {
      var facet = select.getAttribute("data-search-facet");
      var word = select.value && settings.facets[facet][select.value];
      if (word) {
        filters[facet] = select.value;
        words.push(word);
      }
    });
    var text = input.value.trim();
    var options = {};
    // Newest first when asked, and when only filters are given (no words to rank by).
    if (sort.value === "newest" || !text) options.sort = { date: "desc" };
    // The reader's words last: Pagefind takes the last word as the start of a word.
    var terms = words.concat(text ? [text] : []).join(" ");
    return { text: text, filters: filters, filtered: words.length > 0, terms: terms, options: options };
  }

  function remember(query) {
    var params = new URLSearchParams();
    if (query.text) params.set("q", query.text);
    Object.keys(query.filters).forEach(function (key) { params.set(key, query.filters[key]); });
    if (sort.value) params.set("sort", sort.value);
    var search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function summary(query, count) {
    if (count === 0) return query.text ? fill(messages.none, { query: query.text }) : messages.noneFiltered;
    var values = { count: numbers.format(count), query: query.text };
    return fill(plural(query.text ? messages.results : messages.filtered, count), values);
  }

  function excerpt(target, html) {
    // Pagefind's excerpt is escaped text with <mark> around the words found;
    // only text and <mark> are taken from it, never markup of any other kind.
    var parsed = document.createElement("template");
    parsed.innerHTML = html || "";
    Array.prototype.forEach.call(parsed.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
  }

  function item(data) {
    var entry = document.createElement("li");
    entry.className = "search-result";
    var title = document.createElement("h2");
    title.className = "search-result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    title.appendChild(link);
    entry.appendChild(title);
    var details = [];
    var kind = settings.kinds[data.url.slice(settings.base.length).split("/")[1]];
    if (kind) details.push(kind);
    if (data.meta && data.meta.date) details.push(data.meta.date);
    if (details.length) {
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = details.join(" · ");
      entry.appendChild(meta);
    }
    var text = document.createElement("p");
    text.className = "search-excerpt";
    excerpt(text, data.excerpt);
    entry.appendChild(text);
    return entry;
  }

  var shown = null; // the results on the page: { results, count }
  var generation = 0; // the newest search; an older one that ends later is dropped

  function showMore(focus) {
    var mine = generation;
    var next = shown.results.slice(shown.count, shown.count + PAGE);
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (found) {
      if (mine !== generation) return;
      var first = null;
      found.forEach(function (data) {
        var entry = item(data);
        first = first || entry;
        list.appendChild(entry);
      });
      shown.count += found.length;
      more.hidden = shown.count >= shown.results.length;
      if (focus && first) first.querySelector("a").focus();
    });
  }

  function failed(error) {
    list.removeAttribute("aria-busy");
    status.textContent = messages.failed;
    if (window.console) console.error(error);
  }

  function run() {
    var query = wanted();
    var mine = ++generation;
    remember(query);
    if (!query.text && !query.filtered) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    list.setAttribute("aria-busy", "true");
    var slow = setTimeout(function () { if (mine === generation) status.textContent = messages.searching; }, 400);
    return pagefind().then(function (module) {
      return module.search(query.terms, query.options);
    }).then(function (search) {
      if (mine !== generation) return;
      list.textContent = "";
      shown = { results: search.results, count: 0 };
      return showMore(false).then(function () {
        if (mine !== generation) return;
        clearTimeout(slow);
        list.removeAttribute("aria-busy");
        // Said once the results are on the page (role="status" is a polite live region).
        status.textContent = summary(query, search.results.length);
      });
    }).catch(function (error) {
      clearTimeout(slow);
      if (mine === generation) failed(error);
    });
  }

  // The index starts loading when the field is about to be used, not when it is.
  input.addEventListener("focus", function () {
    pagefind().then(function (module) { return module.init(); }).catch(function () {});
  });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text) pagefind().then(function (module) { module.preload(wanted().terms); }).catch(function () {});
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  facetSelects.concat([sort]).forEach(function (select) {
    select.addEventListener("change", function () { clearTimeout(timer); run(); });
  });
  more.addEventListener("click", function () { showMore(true).catch(failed); });

  // The address's search.
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  sort.value = params.get("sort") === "newest" ? "newest" : "";
  facetSelects.forEach(function (select) {
    var value = params.get(select.getAttribute("data-search-facet"));
    if (value && settings.facets[select.getAttribute("data-search-facet")][value]) select.value = value;
  });
  var first = wanted();
  if (first.text || first.filtered) run();
})();
