/* The scripts of Demine's working pages: login, data entry, review, import and users.
   Every change goes through the REST API, which validates exactly as an import does; its
   problems (field and reason) are shown next to the field they concern. Texts people
   read come translated from the page (the "words" block). */
(function () {
  "use strict";

  const words = JSON.parse(document.getElementById("words").textContent || "{}");
  const byId = (id) => document.getElementById(id);

  async function send(method, url, body, headers) {
    const options = {method: method, credentials: "same-origin", headers: Object.assign({}, headers)};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return {ok: response.ok, status: response.status, data: data};
  }

  function message(data) {
    if (data && typeof data.message === "string") return data.message;
    if (data && Array.isArray(data.detail)) return data.detail.map((d) => d.msg).join("; ");
    return words.failed || "";
  }

  function clearProblems(container) {
    container.querySelectorAll("[data-problem]").forEach((el) => { el.textContent = ""; });
    container.querySelectorAll(".invalid").forEach((el) => el.classList.remove("invalid"));
  }

  /* Problems from the API: ImportRejected's {field, reason}, or FastAPI's {loc, msg}. */
  function showProblems(container, data) {
    const general = container.querySelector('[data-problem=""]');
    let problems = [];
    if (data && Array.isArray(data.problems)) problems = data.problems;
    else if (data && Array.isArray(data.detail)) {
      problems = data.detail.map((d) => ({field: d.loc[d.loc.length - 1], reason: d.msg}));
    }
    if (!problems.length && general) general.textContent = message(data);
    problems.forEach(function (problem) {
      // The rules call the shape "geometry"; the form takes it as WKT or a position.
      const name = problem.field === "geometry" ? "wkt" : problem.field;
      const slot = name && container.querySelector('[data-problem="' + CSS.escape(name) + '"]');
      const target = slot || general;
      if (!target) return;
      target.textContent = (target.textContent ? target.textContent + " " : "") + problem.reason;
      const field = slot && slot.closest("[data-field]");
      if (field) field.classList.add("invalid");
    });
  }

  /* ---- Login: stay on the form when it fails, go on when it works. ---- */
  const loginForm = byId("login-form");
  if (loginForm) {
    loginForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const problem = byId("login-problem");
      problem.textContent = "";
      const response = await fetch("/login", {method: "POST", credentials: "same-origin",
        body: new URLSearchParams(new FormData(loginForm)), redirect: "manual"});
      if (response.type === "opaqueredirect" || response.ok) {
        window.location.assign(loginForm.dataset.next || "/");
      } else {
        // A throttled login says how long to wait (the server's words, translated).
        const answer = await response.json().catch(() => ({}));
        problem.textContent = response.status === 429 ? (answer.message || words.throttled) : words.failed;
      }
    });
  }

  /* ---- Data entry: a report (an activity with its finds, or a record of another field-report
     kind), saved as drafts, then submitted. ---- */
  const entryForm = byId("entry-form");
  if (entryForm) {
    const activity = byId("activity");
    const kind = activity.dataset.kind;
    // Only an activity's form has finds.
    const findsBox = byId("finds") || document.createElement("div");
    const template = byId("find-template");
    const status = byId("entry-status");

    function fill(fieldset, values) {
      fieldset.querySelectorAll("[name]").forEach(function (input) {
        const value = values[input.name];
        if (value !== null && value !== undefined && input.type !== "checkbox") input.value = value;
      });
      const point = /POINT\s*\(\s*([-\d.eE]+)\s+([-\d.eE]+)\s*\)/.exec(values.wkt || "");
      if (point && fieldset.dataset.kind === "finds") {
        fieldset.querySelector('[name="lon"]').value = point[1];
        fieldset.querySelector('[name="lat"]').value = point[2];
      }
      remember(fieldset, values);
    }

    function remember(fieldset, record) {
      fieldset.dataset.key = record.external_id;
      fieldset.dataset.version = record.version;
      fieldset.dataset.status = record.review_status;
      fieldset.querySelector('[name="external_id"]').readOnly = true;
    }

    function addFind(values) {
      const fieldset = template.content.firstElementChild.cloneNode(true);
      findsBox.appendChild(fieldset);
      if (values) fill(fieldset, values);
      fieldset.querySelector(".remove-find").addEventListener("click", async function () {
        if (fieldset.dataset.key) {
          const result = await send("DELETE", "/api/finds/" + encodeURIComponent(fieldset.dataset.key),
            undefined, {"If-Match": 'W/"' + fieldset.dataset.version + '"'});
          if (!result.ok) {
            showProblems(fieldset, result.data);
            return;
          }
        }
        fieldset.remove();
      });
      return fieldset;
    }

    function collect(fieldset) {
      const payload = {};
      fieldset.querySelectorAll("[name]").forEach(function (input) {
        if (input.name === "lon" || input.name === "lat") return;
        if (input.value.trim() !== "") payload[input.name] = input.value.trim();
      });
      if (fieldset.dataset.kind === "finds") {
        const lon = fieldset.querySelector('[name="lon"]').value.trim();
        const lat = fieldset.querySelector('[name="lat"]').value.trim();
        if (lon !== "" || lat !== "") payload.wkt = "POINT (" + (lon || "?") + " " + (lat || "?") + ")";
      }
      return payload;
    }

    async function save(fieldset, kind, extra) {
      clearProblems(fieldset);
      const payload = Object.assign(collect(fieldset), extra);
      const key = fieldset.dataset.key;
      const result = key
        ? await send("PUT", "/api/" + kind + "/" + encodeURIComponent(key), payload,
          {"If-Match": 'W/"' + fieldset.dataset.version + '"'})
        : await send("POST", "/api/" + kind, payload);
      if (result.ok) {
        remember(fieldset, result.data);
        return true;
      }
      if (result.status === 412) {
        fieldset.querySelector('[data-problem=""]').textContent = words.changed;
      } else {
        showProblems(fieldset, result.data);
      }
      return false;
    }

    async function submit(fieldset, kind) {
      if (fieldset.dataset.status !== "draft" && fieldset.dataset.status !== "rejected") return true;
      const result = await send("POST", "/api/" + kind + "/" + encodeURIComponent(fieldset.dataset.key) + "/submit");
      if (result.ok) {
        remember(fieldset, result.data);
        return true;
      }
      showProblems(fieldset, result.data);
      return false;
    }

    async function saveAll(andSubmit) {
      status.textContent = "";
      if (!(await save(activity, kind, {}))) {
        status.textContent = words.fix;
        return;
      }
      const districtInput = activity.querySelector('[name="district"]');
      const district = districtInput ? districtInput.value : "";
      const finds = Array.from(findsBox.querySelectorAll("fieldset.find"));
      let allSaved = true;
      for (const fieldset of finds) {
        const extra = {activity: activity.dataset.key};
        const ownDistrict = fieldset.querySelector('[name="district"]').value;
        const located = fieldset.querySelector('[name="lon"]').value.trim() !== "";
        // Without a position, a find lies in the district of the activity it was made in.
        if (!ownDistrict && !located && district) extra.district = district;
        allSaved = (await save(fieldset, "finds", extra)) && allSaved;
      }
      if (!allSaved) {
        status.textContent = words.fix;
        return;
      }
      if (!andSubmit) {
        status.textContent = words.saved;
        return;
      }
      let allSubmitted = await submit(activity, kind);
      for (const fieldset of finds) allSubmitted = (await submit(fieldset, "finds")) && allSubmitted;
      if (allSubmitted) {
        status.textContent = words.submitted;
        entryForm.querySelectorAll("input, select, textarea, button").forEach((el) => { el.disabled = true; });
      } else {
        status.textContent = words.fix;
      }
    }

    if (byId("add-find")) byId("add-find").addEventListener("click", () => addFind(null));
    if (byId("save-draft")) {
      byId("save-draft").addEventListener("click", () => saveAll(false));
      byId("submit-report").addEventListener("click", () => saveAll(true));
    } else {
      // Reference data (tasks, accreditations …): saved as it is, no review.
      byId("save-record").addEventListener("click", async function () {
        status.textContent = "";
        status.textContent = (await save(activity, kind, {})) ? words.stored : words.fix;
      });
    }
    const loaded = JSON.parse(byId("entry-loaded").textContent);
    if (loaded) {
      fill(activity, loaded.activity);
      (loaded.finds || []).forEach(addFind);
    }
  }

  /* ---- Review: approve, or reject with a reason. ---- */
  document.querySelectorAll("section.queue tr[data-key]").forEach(function (row) {
    const problem = row.querySelector(".problem");
    async function decide(action) {
      problem.textContent = "";
      const body = {};
      if (action === "reject") {
        body.reason = row.querySelector(".reason").value.trim();
        if (!body.reason) {
          problem.textContent = words.reasonNeeded;
          return;
        }
      }
      const url = "/api/" + row.dataset.kind + "/" + encodeURIComponent(row.dataset.key) + "/" + action;
      const result = await send("POST", url, action === "reject" ? body : undefined);
      if (result.ok) {
        row.classList.add("decided");
        row.querySelector(".decision").textContent = action === "approve" ? words.approved : words.rejected;
      } else {
        problem.textContent = message(result.data);
      }
    }
    row.querySelector(".approve").addEventListener("click", () => decide("approve"));
    row.querySelector(".reject").addEventListener("click", () => decide("reject"));
  });

  /* ---- A read news item: quick picks fill a field; approve with every field's value, or
     reject with a reason. ---- */
  const newsForm = byId("news-item-form");
  if (newsForm) {
    const status = byId("news-item-status");
    const fieldInput = (name) => newsForm.querySelector('input[name="' + CSS.escape(name) + '"]');
    document.querySelectorAll("button.pick").forEach(function (button) {
      button.addEventListener("click", function () {
        const input = fieldInput(button.dataset.field);
        if (!input) return;
        input.value = button.dataset.value;
        input.focus();
        document.querySelectorAll(".news-item-text mark.shown").forEach((m) => m.classList.remove("shown"));
        const mark = button.dataset.mark && byId(button.dataset.mark);
        if (mark) mark.classList.add("shown");
      });
    });
    async function decideItem(action) {
      clearProblems(newsForm);
      const body = {};
      if (action === "approve") {
        body.values = {};
        newsForm.querySelectorAll("input[name]").forEach(function (input) {
          body.values[input.name] = input.value;
        });
      } else {
        body.reason = byId("reject-reason").value.trim();
        if (!body.reason) {
          showProblems(newsForm, {message: words.reasonNeeded});
          return;
        }
      }
      const result = await send("POST", "/api/news-items/" + newsForm.dataset.item + "/" + action, body);
      if (!result.ok) {
        showProblems(newsForm, result.data);
        return;
      }
      status.dataset.status = result.data.status;
      status.textContent = action === "approve" ? words.approved : words.rejected;
      newsForm.querySelectorAll("input, button").forEach((el) => { el.disabled = true; });
      document.querySelectorAll("button.pick").forEach((el) => { el.disabled = true; });
    }
    const approveItem = byId("approve-item");
    if (approveItem) {
      approveItem.addEventListener("click", () => decideItem("approve"));
      byId("reject-item").addEventListener("click", () => decideItem("reject"));
    }
  }

  /* ---- Import: upload, then follow the job until its report or its problems. ---- */
  const importForm = byId("import-form");
  if (importForm) {
    const box = byId("import-progress");
    const bar = byId("import-bar");
    const state = byId("import-state");
    const result = byId("import-result");

    function cell(tag, text) {
      const el = document.createElement(tag);
      el.textContent = text === null || text === undefined ? "" : String(text);
      return el;
    }

    function table(headers, rows) {
      const t = document.createElement("table");
      const head = t.createTHead().insertRow();
      headers.forEach((h) => head.appendChild(cell("th", h)));
      const body = t.createTBody();
      rows.forEach(function (values) {
        const tr = body.insertRow();
        values.forEach((v) => tr.appendChild(cell("td", v)));
      });
      return t;
    }

    function finish(job) {
      result.replaceChildren();
      if (job.state === "done") {
        const r = job.report;
        state.textContent = words.done + (r.dry_run ? " " + words.dryRun : "");
        result.appendChild(table([words.file, words.rows, words.inserted, words.updated, words.unchanged],
          [[r.file_name, r.rows, r.inserted, r.updated, r.unchanged]]));
        if (r.notes.length) {
          const list = document.createElement("ul");
          r.notes.forEach((n) => list.appendChild(cell("li", n)));
          result.appendChild(list);
        }
      } else {
        state.textContent = job.state === "interrupted" ? words.interrupted : words.failed;
        result.appendChild(cell("p", job.message)).className = "problem";
        if (job.problems.length) {
          result.appendChild(table([words.file, words.row, words.field, words.reason],
            job.problems.map((p) => [p.file, p.row, p.field, p.reason])));
        }
      }
    }

    async function follow(url) {
      for (;;) {
        const answer = await send("GET", url);
        if (!answer.ok) {
          state.textContent = message(answer.data);
          return;
        }
        const job = answer.data;
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        if (job.state === "done" || job.state === "failed" || job.state === "interrupted") {
          finish(job);
          return;
        }
        state.textContent = words[job.state];
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    }

    importForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      result.replaceChildren();
      const data = new FormData(importForm);
      if (!importForm.querySelector('[name="file"]').files.length) {
        state.textContent = words.chooseFile;
        box.hidden = false;
        return;
      }
      if (!data.has("dry_run")) data.set("dry_run", "false");
      box.hidden = false;
      bar.removeAttribute("value");
      state.textContent = words.queued;
      const response = await fetch("/api/imports", {method: "POST", body: data, credentials: "same-origin"});
      const answer = await response.json().catch(() => null);
      if (response.status !== 202) {
        state.textContent = message(answer);
        return;
      }
      follow(answer.status_url);
    });
  }

  /* ---- Users: add an account, disable or enable one. ---- */
  const userForm = byId("user-form");
  if (userForm) {
    userForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      clearProblems(userForm);
      const data = new FormData(userForm);
      const account = {
        username: data.get("username"),
        password: data.get("password"),
        role: data.get("role"),
        display_name: data.get("display_name") || null,
        organisation: data.get("organisation") || null,
        victim_data: data.has("victim_data"),
      };
      const result = await send("POST", "/api/users", account);
      if (result.ok) window.location.reload();
      else showProblems(userForm, result.data);
    });
    document.querySelectorAll("#users button.toggle").forEach(function (button) {
      button.addEventListener("click", async function () {
        const row = button.closest("tr");
        const url = "/api/users/" + encodeURIComponent(row.dataset.username) + "/" + button.dataset.action;
        const result = await send("POST", url);
        if (result.ok) window.location.reload();
        else row.querySelector(".problem").textContent = message(result.data);
      });
    });
  }
})();
