"""zorgnota billing core: everything that is billing, in rooms by what it does.

``bootstrap`` wires the adapters to the use cases (the composition root), ``settings``
reads the environment once, ``ports`` declares what the use cases need from outside.
The domain rooms (shared, texts, invoices, declarations, payments, changes, dunning,
legal, collection, correspondence, providers) import nothing from boto3, ``adapters``,
``services`` or ``entrypoints``; ``services`` is what the APIs and the portal call;
``adapters`` talk to AWS and the PSP; ``entrypoints`` turn events into calls. The rules
are checked by import-linter (``make lint``); the README draws them.
"""
