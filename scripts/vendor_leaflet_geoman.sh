#!/bin/sh
# Rebuild src/demine/web/static/vendor/leaflet-geoman/ from the npm package
# @geoman-io/leaflet-geoman-free, the map drawing plug-in of the data-entry page (points,
# lines and polygons drawn, edited and snapped on the vendored Leaflet; no CDN).
#
#   scripts/vendor_leaflet_geoman.sh [VERSION]     (default: the version vendored now)
#
# Only the minified script and the stylesheet are kept, with the licence; source maps are
# left out and the references to them removed (no failed request in the console).
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HERE/../src/demine/web/static/vendor/leaflet-geoman"
VERSION="${1:-$(cat "$TARGET/VERSION")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "@geoman-io/leaflet-geoman-free@$VERSION" >/dev/null && tar xzf geoman-io-leaflet-geoman-free-*.tgz)
rm -rf "$TARGET"
mkdir -p "$TARGET"
cp "$WORK/package/dist/leaflet-geoman.min.js" "$WORK/package/dist/leaflet-geoman.css" \
   "$WORK/package/LICENSE" "$TARGET/"
sed -i '/^\/\/# sourceMappingURL=.*$/d' "$TARGET/leaflet-geoman.min.js"
sed -i '/^\/\*# sourceMappingURL=.*\*\/$/d' "$TARGET/leaflet-geoman.css"
echo "$VERSION" > "$TARGET/VERSION"
echo "@geoman-io/leaflet-geoman-free $VERSION vendored into $TARGET"
