"""The geometry check as text, JSON or HTML with a small map per finding."""
