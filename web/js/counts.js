// What waits for the signed-in person, shown in the navigation: a journalist's unread releases,
// a spokesperson's open press questions and press reports. Read from the server (never counted
// in the page), again after each acknowledgement or answer, on every navigation, and every
// 30 seconds while the tab is visible.
import { signal } from "./lib.js";
import { request } from "./api/client.js";
import * as op from "./api/operations.js";

/** Counts by navigation target ("#/feed", "#/inbox", "#/press-reports"). */
export const counts = signal(/** @type {Record<string, number>} */ ({}));

/** @type {any} */
let who = null;

/** Reads the counts for `me` (null: nobody signed in). */
export async function refreshCounts(/** @type {any} */ me = who) {
  who = me;
  if (!me) { counts.value = {}; return; }
  try {
    if (me.role === "JOURNALIST") {
      const d = await request(op.UNREAD);
      counts.value = { "#/feed": d.received.unread };
    } else if (me.role === "SPOKESPERSON" && me.unit) {
      const d = await request(op.OPEN_COUNTS, { unitId: me.unit.id });
      counts.value = { "#/inbox": d.inquiries.length, "#/press-reports": d.pressReports.length };
    } else {
      counts.value = {};
    }
  } catch {
    // A count is a convenience: the pages themselves say what is there.
  }
}

setInterval(() => { if (!document.hidden && who) refreshCounts(); }, 30000);
