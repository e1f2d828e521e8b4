// A press conference as an iCalendar file (RFC 5545) the journalist's calendar imports, made in
// the browser from what the viewer already sees (no other read path), and the month grid.
import { saveBlob } from "./api/client.js";

/**
 * RFC 5545 TEXT: backslash, semicolon, comma escaped; every line break (CRLF, a bare CR, LF)
 * written as \n; other control characters (which TEXT excludes, tab aside) dropped.
 */
const text = (/** @type {string} */ s) =>
  s
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, "\\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
/** An instant in UTC, basic format. */
const utc = (/** @type {string|Date} */ d) => new Date(d).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Lines longer than 75 octets are folded (RFC 5545 §3.1). */
function fold(/** @type {string} */ line) {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const out = [];
  let cur = "";
  for (const ch of line) {
    if (new TextEncoder().encode(cur + ch).length > (out.length ? 74 : 75)) { out.push(cur); cur = ""; }
    cur += ch;
  }
  out.push(cur);
  return out.join("\r\n ");
}

/**
 * The .ics text of a release's press conference.
 * @param {{id: string, title: string, summary: string, unit: {name: string},
 *   pressConference: {startsAt: string, endsAt?: string|null, location: string}}} r
 */
export function icsOf(r) {
  const c = r.pressConference;
  const end = c.endsAt || new Date(new Date(c.startsAt).getTime() + 3600 * 1000).toISOString();
  const lines = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pressnet//press conferences//VI", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
    "BEGIN:VEVENT", `UID:${r.id}@pressnet`, `DTSTAMP:${utc(new Date())}`, `DTSTART:${utc(c.startsAt)}`, `DTEND:${utc(end)}`,
    `SUMMARY:${text(r.title)}`, `LOCATION:${text(c.location)}`, `DESCRIPTION:${text(`${r.unit.name}: ${r.summary}`)}`,
    `URL:${location.origin}/releases/${r.id}`, "END:VEVENT", "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

export function downloadIcs(/** @type {any} */ r) {
  saveBlob(new Blob([icsOf(r)], { type: "text/calendar;charset=utf-8" }), `hop-bao-${r.id.slice(0, 8)}.ics`);
}

/**
 * The weeks of a month (Monday first), each day as YYYY-MM-DD or null outside the month.
 * @param {number} year
 * @param {number} month 0-11
 */
export function monthGrid(year, month) {
  const first = new Date(Date.UTC(year, month, 1));
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  /** @type {(string|null)[]} */
  const cells = Array(lead).fill(null);
  for (let d = 1; d <= days; d++) cells.push(`${year}-${String(month + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}
