#!/bin/sh
# Rebuild src/demine/web/static/vendor/leaflet-vectorgrid/ from the npm package
# leaflet.vectorgrid: the dashboard map draws the OGC API vector tiles (Mapbox Vector
# Tiles) of finds, hazards and accidents with it, on the vendored Leaflet (no CDN).
#
#   scripts/vendor_leaflet_vectorgrid.sh [VERSION]     (default: the version vendored now)
#
# The bundled, minified build is kept (it carries pbf and @mapbox/vector-tile); its
# source map is left out and the reference to it removed. The package ships no licence
# file: LICENSE is written from the licence its README states (Beerware), with those of
# the libraries bundled in it.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HERE/../src/demine/web/static/vendor/leaflet-vectorgrid"
VERSION="${1:-$(cat "$TARGET/VERSION")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "leaflet.vectorgrid@$VERSION" >/dev/null && tar xzf leaflet.vectorgrid-*.tgz)
rm -rf "$TARGET"
mkdir -p "$TARGET"
cp "$WORK/package/dist/Leaflet.VectorGrid.bundled.min.js" "$TARGET/"
sed -i 's/\/\/# sourceMappingURL=.*$//' "$TARGET/Leaflet.VectorGrid.bundled.min.js"
{
  echo "Leaflet.VectorGrid $VERSION (npm leaflet.vectorgrid), by Iván Sánchez Ortega and Per Liedman."
  echo "Its licence, as its README states it:"
  echo
  sed -n '/^"THE BEER-WARE LICENSE":/,/^----/p' "$WORK/package/README.md" | sed '$d'
  echo
  echo "The bundled build includes (their licences as the README names them):"
  sed -n '/^\* \[geojson-vt\]/,/^\* \[vector-tile\]/p' "$WORK/package/README.md"
} > "$TARGET/LICENSE"
echo "$VERSION" > "$TARGET/VERSION"
echo "leaflet.vectorgrid $VERSION vendored into $TARGET"
