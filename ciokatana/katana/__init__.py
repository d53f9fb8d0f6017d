"""The Katana adapter: the only package that imports Katana modules (lazily)."""
