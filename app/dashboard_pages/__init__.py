"""The dashboard pages: their views, filter and settings forms, chart figures, readings and exports.

Everything here shows what `app.dashboards` computed (a Report, already under the privacy rules);
nothing here counts, and nothing in `app.dashboards` knows these pages.
"""
