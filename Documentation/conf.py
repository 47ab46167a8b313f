# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for the wirebox documentation, kept minimal in the
# spirit of the kernel's Documentation/conf.py: reStructuredText only, no
# extensions, every warning an error under "make htmldocs"
# (sphinx-build -W).  Builds with Debian 12's python3-sphinx (5.3).

project = 'wirebox'
author = 'The wirebox authors'
copyright = 'The wirebox authors'

master_doc = 'index'
source_suffix = {'.rst': 'restructuredtext'}

# Documentation/netlink/specs/ holds YAML specs, not pages; conf.py and any
# other non-rst file never becomes a page because of source_suffix.
exclude_patterns = ['netlink/specs', 'netlink/specs/**', '_build', 'output']

highlight_language = 'none'
primary_domain = 'c'
pygments_style = 'sphinx'

# A literal block's language is stated where it matters (.. code-block::);
# a bare :: block stays plain text instead of being guessed at.
html_theme = 'alabaster'
html_title = 'wirebox documentation'
html_show_sourcelink = False
html_static_path = []
