"""PDF progress reports: plain data, SVG charts, WeasyPrint rendering, the archive."""
