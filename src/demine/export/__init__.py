"""Writing the register out: GeoPackage, GeoJSON and CSV that import back unchanged."""
