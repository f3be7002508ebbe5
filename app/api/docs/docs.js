// The API docs page's list of operations, built from /api/v1/openapi.json. A file of its own (not an inline
// script) so the page runs under the same Content-Security-Policy as the PWA; text goes in as text, never HTML.
const out = document.getElementById('ops');

function operation(path, method, op) {
  const row = document.createElement('div');
  row.className = 'op';
  const verb = document.createElement('span');
  verb.className = 'm';
  verb.textContent = method.toUpperCase();
  const where = document.createElement('code');
  where.textContent = path;
  const what = document.createElement('div');
  what.className = 'd';
  what.textContent = [op.summary, op.description].filter(Boolean).join(' ');
  row.append(verb, where, what);
  return row;
}

fetch('/api/v1/openapi.json')
  .then((r) => r.json())
  .then((spec) => {
    const rows = [];
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (method !== 'parameters') rows.push(operation(path, method, op));
      }
    }
    out.replaceChildren(...rows);
  })
  .catch(() => {
    out.textContent = 'Could not load /api/v1/openapi.json.';
  });
