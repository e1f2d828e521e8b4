// The one place the web app takes its framework from: Preact components, written as htm tagged
// templates (no build step), with hooks and signals for state. Everything is vendored under
// /vendor (web/vendor.sh), so nothing comes from another host.
import { h, render, Fragment } from "/vendor/preact/preact.js";
import htm from "/vendor/htm/htm.js";

export { h, render, Fragment };
export { useState, useEffect, useMemo, useRef, useCallback } from "/vendor/preact/hooks.js";
export { signal, computed, effect, batch } from "/vendor/@preact/signals/signals.js";

/** Markup as a tagged template: html`<p>${text}</p>` (values are never parsed as HTML). */
export const html = htm.bind(h);
