"""Sphinx configuration of the course website (``make site``; see course_tools/site.py).

The site is built from the committed, executed notebooks (never re-executed) with MyST-NB
and sphinx-book-theme, entirely offline: the theme ships its CSS, JavaScript and icon fonts
in the wheel, widget views fall back to their plain-text summary (no widget JavaScript from
a CDN), and no page loads MathJax.
"""
project = "Lupus & MSC teaching notebooks"
author = "Lupus & MSC teaching notebooks contributors"
copyright = "the contributors; text CC BY 4.0, code MIT"
# The repository's address has one home, [project.urls] Repository in pyproject.toml;
# course_tools.site writes it into the copy of this file that Sphinx reads.
REPOSITORY = "@REPOSITORY@"
NOTE = ("<strong>Educational material, not medical advice.</strong> These pages teach how "
        "to read the evidence about lupus and MSC therapy; they recommend no treatment.")

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_heading_anchors = 3
myst_enable_extensions = ["html_image"]

# Notebooks: committed outputs as they are, never executed.
nb_execution_mode = "off"
nb_render_plugin = "course"  # course_tools.site_renderer: alt text from the output metadata
nb_ipywidgets_js = {}        # no widget JavaScript from a CDN; the plain-text summary shows
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/vnd.jupyter.widget-state+json", None),
]
nb_merge_streams = True

html_theme = "sphinx_book_theme"
# A fixed colour mode: with none stored yet the theme's script logs a console error.
html_context = {"default_mode": "light"}
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    "path_to_docs": "notebooks",
    "use_repository_button": True,
    "use_source_button": True,
    "use_download_button": True,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "announcement": NOTE,
    "extra_footer": f"<p>{NOTE}</p>",
    "show_toc_level": 2,
    # One search field (the sidebar's): no second one in a header bar above the page.
    "navbar_persistent": [],
}
# The search page's snippets come from the article text, not the theme's buttons.
html_js_files = ["search_snippets.js"]
