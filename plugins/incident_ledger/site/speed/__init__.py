"""Build-speed machinery: nothing here changes what a build produces, only how fast.

Background work beside rendering, compiled-template, conversion, navigation and
render caches for `mkdocs serve`.
"""
