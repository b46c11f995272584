"""Charts drawn straight to SVG and laid out once, without a plotting library: the
bulletin's charts and map in milliseconds, in the look of the reports' other charts
(matplotlib's defaults), with their text kept as text in the report's font."""
