#!/bin/sh
# Install pygeoapi 0.21.0 (the newest for Python 3.11) as the OGC API peer of the
# ogc_items benchmark: its Flask app under gunicorn with the OGR provider.
#
# The OGR provider needs GDAL's Python bindings, which come from Debian
# (python3-gdal), so the venv is built on Debian's /usr/bin/python3 with
# --system-site-packages. Everything goes into bench/.peers/ (git-ignored).
# Running it again changes nothing once everything is in place.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PEERS="${HERE}/../.peers"
VENV="${PEERS}/pygeoapi"
VERSION=0.21.0

if ! /usr/bin/python3 -c "from osgeo import ogr" 2>/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends python3-gdal
fi

mkdir -p "${PEERS}"
if [ ! -x "${VENV}/bin/python" ]; then
    /usr/bin/python3 -m venv --system-site-packages "${VENV}"
fi
if ! "${VENV}/bin/python" -c "import pygeoapi, gunicorn, sys; sys.exit(pygeoapi.__version__ != '${VERSION}')" 2>/dev/null; then
    "${VENV}/bin/pip" install --quiet "pygeoapi==${VERSION}" gunicorn
fi
"${VENV}/bin/python" -c "import pygeoapi; from osgeo import gdal; print('pygeoapi', pygeoapi.__version__, 'GDAL', gdal.__version__)"
