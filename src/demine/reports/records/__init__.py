"""Minefield records verification rendered for people: the document and its charts."""
