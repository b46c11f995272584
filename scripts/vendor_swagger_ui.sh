#!/bin/sh
# Rebuild src/demine/web/static/vendor/swagger-ui/ from the npm package swagger-ui-dist,
# which /docs serves so that the API browser works offline (no CDN).
#
#   scripts/vendor_swagger_ui.sh [VERSION]     (default: the version vendored now)
#
# Only the files /docs loads are kept, with the licences; source maps are left out and
# the stylesheet's reference to its map removed (no failed request in the console).
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HERE/../src/demine/web/static/vendor/swagger-ui"
VERSION="${1:-$(cat "$TARGET/VERSION")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null && tar xzf swagger-ui-dist-*.tgz)
rm -rf "$TARGET"
mkdir -p "$TARGET"
for name in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
    cp "$WORK/package/$name" "$TARGET/$name"
done
sed -i '/^\/\*# sourceMappingURL=.*\*\/$/d' "$TARGET/swagger-ui.css"
echo "$VERSION" > "$TARGET/VERSION"
echo "swagger-ui-dist $VERSION vendored into $TARGET"
