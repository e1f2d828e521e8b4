#!/usr/bin/env bash
# Refreshes the front-end libraries vendored into web/vendor/ from the npm registry, at the
# pinned versions below, each with its licence. The binary embeds web/ as it is: users run no
# build step, and nothing is loaded from a CDN. Run after changing a version; commit the result.
#
# The web app's libraries are ES modules. Browsers resolve only URLs, and an import map would be
# an inline script (the CSP allows none), so the bare specifiers between them ("preact",
# "preact/hooks", "@preact/signals-core") are rewritten to the vendored files' paths. Files are
# renamed .mjs -> .js so every server and proxy serves them as JavaScript.
set -euo pipefail
cd "$(dirname "$0")"
# package@version, then source=target pairs (target relative to vendor/<package>/).
PACKAGES=(
  # GraphiQL 3 is the last release with a browser (UMD) build; it needs React 18's UMD builds.
  "graphiql@3.8.3 graphiql.min.js=graphiql.min.js graphiql.min.css=graphiql.min.css"
  "react@18.3.1 umd/react.production.min.js=react.production.min.js"
  "react-dom@18.3.1 umd/react-dom.production.min.js=react-dom.production.min.js"
  # The web application: components (Preact), templates without a build step (htm), state (signals).
  "preact@11.2.0 dist/preact.mjs=preact.js hooks/dist/hooks.mjs=hooks.js"
  "htm@3.1.1 dist/htm.mjs=htm.js"
  "@preact/signals-core@1.14.5 dist/signals-core.mjs=signals-core.js"
  "@preact/signals@2.11.4 dist/signals.mjs=signals.js"
  # Pasting from Word and Google Docs: their HTML turned into the Markdown the server keeps.
  "turndown@7.2.5 lib/turndown.browser.es.js=turndown.js"
  # The rich-text editor (its browser build sets self.Quill; the page draws its own toolbar).
  "quill@2.0.3 dist/quill.js=quill.js dist/quill.core.css=quill.core.css"
)
# Bare specifier -> vendored path, as the browser will ask for it.
REWRITES=(
  's#from"preact/hooks"#from"/vendor/preact/hooks.js"#g'
  's#from"preact"#from"/vendor/preact/preact.js"#g'
  's#from"@preact/signals-core"#from"/vendor/@preact/signals-core/signals-core.js"#g'
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in "${PACKAGES[@]}"; do
  read -r pkg pairs <<<"$spec"
  name=${pkg%@*}
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
  tgz=$(ls "$work"/"$(echo "${name#@}" | tr / -)"-*.tgz)
  mkdir -p "$work/$name" && tar xzf "$tgz" -C "$work/$name"
  rm -rf "vendor/$name" && mkdir -p "vendor/$name"
  for pair in $pairs; do
    src=${pair%%=*}
    dst=${pair#*=}
    cp "$work/$name/package/$src" "vendor/$name/$dst"
    case "$dst" in
      *.js) for r in "${REWRITES[@]}"; do sed -i "$r" "vendor/$name/$dst"; done ;;
    esac
    # Source maps point at files not vendored.
    sed -i '/^\/\/# sourceMappingURL=/d' "vendor/$name/$dst"
  done
  cp "$work/$name/package/LICENSE" "vendor/$name/"
  echo "$pkg" >"vendor/$name/VERSION"
  rm -f "$tgz"
done
# Nothing may still import a bare specifier: the browser could not resolve it.
if grep -rEl 'from"[^./][^"]*"' vendor --include='*.js' | grep -v -e graphiql -e react -e quill; then
  echo "a bare import is left in the files above" >&2
  exit 1
fi
echo "vendored: ${PACKAGES[*]%% *}"
