#!/usr/bin/env bash
# Refreshes the front-end libraries vendored into web/vendor/ from the npm registry, at the
# pinned versions below, each with its licence. The binary embeds web/ as it is: users run no
# build step, and nothing is loaded from a CDN. Run after changing a version; commit the result.
set -euo pipefail
cd "$(dirname "$0")"
PACKAGES=(
  # GraphiQL 3 is the last release with a browser (UMD) build; it needs React 18's UMD builds.
  "graphiql@3.8.3 graphiql.min.js graphiql.min.css"
  "react@18.3.1 umd/react.production.min.js"
  "react-dom@18.3.1 umd/react-dom.production.min.js"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in "${PACKAGES[@]}"; do
  read -r pkg files <<<"$spec"
  name=${pkg%@*}
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
  tgz=$(ls "$work"/"${name//\//-}"-*.tgz)
  mkdir -p "$work/$name" && tar xzf "$tgz" -C "$work/$name"
  rm -rf "vendor/$name" && mkdir -p "vendor/$name"
  for f in $files LICENSE; do cp "$work/$name/package/$f" "vendor/$name/"; done
  echo "$pkg" > "vendor/$name/VERSION"
  rm -f "$tgz"
done
echo "vendored: ${PACKAGES[*]%% *}"
