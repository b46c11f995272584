"""Operations bulletins and the figures around them: the document in each format
(``document``), the authority's paragraph (``paragraph``), the period summary as text
(``summary_text``), charts and the period map (``charts``) and the weekly series
(``series_document``)."""
