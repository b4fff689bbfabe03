/** A tiny HTML table for humans looking at what a stand-in received (messages, mails). */
const escapeHtml = (value: unknown): string =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const htmlTable = (title: string, columns: string[], rows: unknown[][], note = ""): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}td{white-space:pre-wrap}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(note)}</p>
<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join("")}</tr>`).join("\n") || `<tr><td colspan="${columns.length}">nothing yet</td></tr>`}</tbody></table>
</body></html>`;
