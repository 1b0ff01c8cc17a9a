"""plotly.js and its style sheet, served by the app itself for every page that draws charts."""
