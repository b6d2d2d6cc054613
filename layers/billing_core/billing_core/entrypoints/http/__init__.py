"""The HTTP boundary of both APIs: pydantic request and response models, the one error
shape and its mapping (interfaces.md §2), opaque cursors."""
