"""HTTP boundary: pydantic request/response models and the shared error shape (interfaces.md §2)."""
