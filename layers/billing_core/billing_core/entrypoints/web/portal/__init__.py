"""The provider portal (R35, interfaces.md §8): server-rendered pages for a practice's
staff, on the same provider services as the API (issue 16).

``session`` is the signed cookie that holds who is signed in and the CSRF token of its
forms; ``pages`` turns a request into the service call it asks for and the page (or
download) that shows the answer; the Jinja2 templates are in ``templates/``.
"""
