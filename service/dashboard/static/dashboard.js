// Reactions dashboard: sortable tables and the event page's live figures. No dependencies.
"use strict";

(function () {
  const sortState = new Map(); // table id -> {key, direction}

  function cellValue(row, index, type) {
    const cell = row.cells[index];
    const raw = cell ? cell.getAttribute("data-sort-value") || "" : "";
    return type === "number" ? Number(raw) : raw.toLocaleLowerCase();
  }

  function sortTable(table, key, direction) {
    const headers = Array.from(table.tHead.rows[0].cells);
    const index = headers.findIndex((th) => th.dataset.sortKey === key);
    if (index < 0) return;
    const type = headers[index].dataset.sortType;
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const sign = direction === "ascending" ? 1 : -1;
    rows.sort((a, b) => {
      const x = cellValue(a, index, type);
      const y = cellValue(b, index, type);
      const order = type === "number" ? x - y : x.localeCompare(y);
      return order * sign || Number(a.dataset.personId) - Number(b.dataset.personId);
    });
    rows.forEach((row) => body.appendChild(row));
    headers.forEach((th) => {
      if (th.dataset.sortKey) th.setAttribute("aria-sort", th === headers[index] ? direction : "none");
    });
    sortState.set(table.id, { key, direction });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("table.sortable th button");
    if (!button) return;
    const th = button.closest("th");
    const table = th.closest("table");
    const current = th.getAttribute("aria-sort");
    const first = th.dataset.sortType === "number" ? "descending" : "ascending";
    const direction = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
    sortTable(table, th.dataset.sortKey, direction);
  });

  function reapplySorts() {
    sortState.forEach((state, id) => {
      const table = document.getElementById(id);
      if (table) sortTable(table, state.key, state.direction);
    });
  }

  const status = document.getElementById("live-status");
  const live = document.getElementById("live");
  if (!status || !live) return;
  if (!("EventSource" in window)) {
    status.textContent = "Live updates are not available in this browser; reload for new figures.";
    return;
  }

  let shown = Number(live.dataset.version);
  let wanted = shown;
  let busy = false;

  function shownVersion() {
    const figures = live.querySelector(".figures");
    return figures ? Number(figures.dataset.version) : shown;
  }

  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      for (let attempt = 0; attempt < 5 && wanted > shown; attempt += 1) {
        const response = await fetch(status.dataset.fragment, { headers: { Accept: "text/html" } });
        if (!response.ok) break;
        const html = await response.text();
        const template = document.createElement("template");
        template.innerHTML = html;
        const figures = template.content.querySelector(".figures");
        const version = figures ? Number(figures.dataset.version) : 0;
        if (version > shown) {
          live.replaceChildren(template.content);
          shown = shownVersion();
          live.dataset.version = String(shown);
          reapplySorts();
          status.textContent = "Live: updated to version " + shown + " at " + new Date().toLocaleTimeString() + ".";
          status.classList.add("flash");
          setTimeout(() => status.classList.remove("flash"), 1500);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    } catch (error) {
      status.textContent = "Live: could not fetch the new figures (" + error + "); retrying on the next change.";
    } finally {
      busy = false;
    }
  }

  const source = new EventSource(status.dataset.stream);
  source.addEventListener("open", () => {
    status.className = "live on";
    status.textContent = "Live: connected; figures update when new reactions arrive.";
  });
  source.addEventListener("error", () => {
    status.className = "live off";
    status.textContent = "Live: reconnecting…";
  });
  source.addEventListener("summary", (message) => {
    let version = Number(message.lastEventId);
    if (!Number.isFinite(version)) {
      try { version = Number(JSON.parse(message.data).version); } catch (error) { return; }
    }
    if (version > wanted) {
      wanted = version;
      refresh();
    }
  });
})();
