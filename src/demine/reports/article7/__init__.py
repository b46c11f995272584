"""The annual profile (Article 7 / Landmine Monitor tables) as text, HTML, PDF, JSON, XLSX."""
