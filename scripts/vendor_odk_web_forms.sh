#!/bin/sh
# Rebuild src/demine/web/static/vendor/odk-web-forms/ from the npm package @getodk/web-forms:
# the field forms filled in the browser (/forms). One self-contained script: Vue, ODK Web
# Forms, their CSS and fonts inlined by the package, built by vite from
# scripts/odk-web-forms/entry.js (which mounts the OdkWebForm component); no CDN.
#
#   scripts/vendor_odk_web_forms.sh [VERSION]     (default: the version vendored now)
#
# Needs node >= 20.19 and npm (the registry reachable). The licences of every bundled
# package are copied beside the script (LICENSES.txt).
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HERE/../src/demine/web/static/vendor/odk-web-forms"
VERSION="${1:-$(cat "$TARGET/VERSION")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$HERE/odk-web-forms/entry.js" "$HERE/odk-web-forms/vite.config.mjs" "$WORK/"
cd "$WORK"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "@getodk/web-forms@$VERSION" "vue@^3.5.29" "vite@^7" >/dev/null
rm -rf "$TARGET"
OUT_DIR="$TARGET" npx --no-install vite build --logLevel warn
cp node_modules/@getodk/web-forms/package.json "$WORK/web-forms-package.json"
node -e '
const fs = require("fs"), path = require("path");
// The packages inside the bundle: web-forms and what it pulls in at run time.
const seen = new Set(), out = [];
function visit(name) {
  if (seen.has(name)) return;
  seen.add(name);
  const dir = path.join("node_modules", name);
  if (!fs.existsSync(dir)) return;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json")));
  const licence = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  out.push(`${"=".repeat(72)}\n${pkg.name} ${pkg.version} (${pkg.license || "see below"})\n${"=".repeat(72)}\n` +
    (licence ? fs.readFileSync(path.join(dir, licence), "utf8") : "(no licence file in the package: its licence is the one named above, by SPDX identifier)\n"));
  Object.keys(pkg.dependencies || {}).forEach(visit);
}
visit("@getodk/web-forms");
visit("vue");
fs.writeFileSync(process.argv[1], out.join("\n"));
' "$TARGET/LICENSES.txt"
echo "$VERSION" > "$TARGET/VERSION"
echo "@getodk/web-forms $VERSION vendored into $TARGET ($(du -sh "$TARGET" | cut -f1))"
