"""Development projects at risk rendered for people: the document and its charts."""
