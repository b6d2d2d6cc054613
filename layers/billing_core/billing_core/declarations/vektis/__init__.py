"""Vektis EI fixed-width declarations and insurer retour files (interfaces.md §1b).

layout.py and layouts.py: the record layouts as data; text.py: bytes -> lines, as
practices really send them; reader.py: lines -> checked records (structure, R2);
mapping.py: records -> claims (content, R2-R7); writer.py: claims -> a file, from the
same tables; parser.py: a declaration's entry point; retour_parser.py: a retour file's
grants and retourcodes.
"""
